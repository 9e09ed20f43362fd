// Design study for issue #3 (not part of cekmc): a hop-only KMC loop on a regular interstitial grid,
// to bound what a kernel without the 85 MB hop-row table could reach on the benchmark machine.
// Model: the full 20 x 150 nm zb wire's T/O interstitial layers as a rhombic column grid (54 x 54
// columns, 855 layers, cells outside a 10 nm radius or in the end layers are "no site"), 100 000
// atoms, targets = cell + a constant offset per (T|O, channel), 1 byte of environment and 1
// occupancy bit per cell, two classes (T, O) with flat member lists, hold-clock time (product of
// uniforms), GSL uniforms. Staged look-ahead L: 3L ahead prefetch the member entry, 2L the record,
// L the target's occupancy word and environment byte. It omits capacities/null slack, plan reuse,
// counters and the general loop, so it is an optimistic bound.
// Build and run:  gcc -O2 -o /tmp/grid docs/studies/grid-prototype.c -lgsl -lgslcblas -lm
//                 /tmp/grid EVENTS LOOKAHEAD mt19937|taus2 [LAYERS=855] [ATOMS=100000]
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <gsl/gsl_rng.h>

static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+1e-9*t.tv_nsec;}
static void *huge(size_t n){void*p=aligned_alloc(1<<21,(n+(1<<21)-1)&~((size_t)(1<<21)-1));madvise(p,n,MADV_HUGEPAGE);memset(p,0,n);return p;}

int main(int argc,char**argv){
  long nEv = argc>1? atol(argv[1]) : 20000000;
  int LA = argc>2? atoi(argv[2]) : 6;
  const char* rngname = argc>3? argv[3] : "mt19937";
  // zb wire 20 nm x 150 nm: in-plane hex columns a_hex=4.3 A -> radius 100 A; layers: 2 interstitial layers per Se layer (d=3.51 A) -> 150nm/3.51A*2 = 855
  int NI=54, NJ=54, NL=(argc>4?atoi(argv[4]):855);          // rhombus 54x54 columns (>= 2R/a_hex/sin60 ~ 54)
  long nCells=(long)NI*NJ*NL;
  uint8_t *env=huge(nCells);          // 0xFF = no site; 0 = T env, 1 = O env
  long nValid=0;
  for(int l=0;l<NL;l++)for(int i=0;i<NI;i++)for(int j=0;j<NJ;j++){
    double x=(i-NI/2)*4.3+(j-NJ/2)*2.15, y=(j-NJ/2)*3.72;
    long g=((long)l*NI+i)*NJ+j;
    env[g]=(x*x+y*y<100.0*100.0 && l>0 && l<NL-1)?(l&1):0xFF; if(env[g]!=0xFF)nValid++;
  }
  // offsets: T (even layer) -> O: 3 in layer l+1 at (0,0),(-1,0),(0,-1); 1 in layer l-1 at (0,0). O (odd) mirror.
  long off[2][4]={{ (long)NI*NJ, (long)NI*NJ-NJ, (long)NI*NJ-1, -(long)NI*NJ },
                  { -(long)NI*NJ, -(long)NI*NJ+NJ, -(long)NI*NJ+1, (long)NI*NJ }};
  uint64_t *occ=huge((nCells+63)/64*8);
  int nA=(argc>5?atoi(argv[5]):100000);
  uint32_t *rec=huge(nA*4);
  int32_t *pos=huge(nA*4);
  int32_t *mem[2]; int cnt[2]={0,0};
  mem[0]=huge(nA*4); mem[1]=huge(nA*4);
  const gsl_rng_type *T = strcmp(rngname,"taus2")==0? gsl_rng_taus2 : gsl_rng_mt19937;
  gsl_rng *r=gsl_rng_alloc(T); gsl_rng_set(r,1);
  for(int a=0;a<nA;a++){ long g; do{ g=gsl_rng_uniform_int(r,nCells);}while(env[g]==0xFF || (occ[g>>6]>>(g&63)&1));
    occ[g>>6]|=1ull<<(g&63); rec[a]=g; int c=env[g]; pos[a]=cnt[c]; mem[c][cnt[c]++]=a; }
  enum{B=4096+64}; double *ub=malloc(sizeof(double)*B); int p=B, e=B;
  double product=1, base=0; long blocked=0, moves=0;
  double t0=now();
  for(long ev=0; ev<nEv; ev++){
    if(e-p<128){ int left=e-p; memmove(ub,ub+p,left*8); for(int k=left;k<B;k++) ub[k]=T->get_double(r->state); p=0; e=B; }
    if(LA>0){ // staged: 3L: prefetch member entry; 2L: read member, prefetch rec; L: read rec, prefetch target occ+env
      #define PLAN(k, C, M, CH) { double uu=ub[p+2*(k)+1]*(cnt[0]+cnt[1]); C= uu<cnt[0]?0:1; double r2= C? uu-cnt[0]:uu; M=(long)r2; CH=(int)((r2-M)*4); if(CH>3)CH=3; }
      int c3,ch3; long m3; PLAN(3*LA,c3,m3,ch3); __builtin_prefetch(&mem[c3][m3]);
      int c2,ch2; long m2; PLAN(2*LA,c2,m2,ch2); if(m2<cnt[c2]) __builtin_prefetch(&rec[mem[c2][m2]]);
      int c1,ch1; long m1; PLAN(LA,c1,m1,ch1); if(m1<cnt[c1]) { long g1=rec[mem[c1][m1]]+off[c1][ch1]; __builtin_prefetch(&occ[g1>>6]); __builtin_prefetch(&env[g1]); }
    }
    double ut=ub[p]; product*=ut; if(product<0x1p-500){ base+= -log(product); product=1; }
    double u=ub[p+1]*(cnt[0]+cnt[1]); p+=2;
    int c= u<cnt[0]?0:1; double rr= c? u-cnt[0] : u; long m=(long)rr; if(m>=cnt[c]) m=cnt[c]-1;
    int ch=(int)((rr-m)*4); if(ch>3)ch=3;
    int a=mem[c][m]; long g=rec[a]; long j=g+off[c][ch];
    uint8_t ej=env[j];
    if(ej==0xFF || (occ[j>>6]>>(j&63)&1)){ blocked++; continue; }
    occ[g>>6]&=~(1ull<<(g&63)); occ[j>>6]|=1ull<<(j&63); rec[a]=j;
    if(ej!=c){ // swap-remove from c, append to ej
      int last=mem[c][--cnt[c]]; int pa=pos[a]; mem[c][pa]=last; pos[last]=pa;
      pos[a]=cnt[ej]; mem[ej][cnt[ej]++]=a; moves++; }
  }
  double dt=now()-t0;
  printf("%s LA=%d cells=%ld valid=%ld: %.2f M events/s (incl. blocked %.1f%%), moves %ld\n", rngname, LA, nCells, nValid, nEv/dt/1e6, 100.0*blocked/nEv, moves);
  return 0;
}
