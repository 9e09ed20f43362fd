// Module InputFiles — see README "Architecture".
