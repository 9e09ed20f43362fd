// The module's only function is the inline one in include/CPrefetch.h.
#include "CPrefetch.h"
