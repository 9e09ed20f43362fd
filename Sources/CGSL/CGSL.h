// The GSL headers cekmc uses. Only the Swift module `GSL` imports this.
#ifndef CEKMC_CGSL_H
#define CEKMC_CGSL_H
#define HAVE_INLINE 1
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_multimin.h>
#endif
