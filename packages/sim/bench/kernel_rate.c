/*
 * The live kernel's rate for the operations bench/run.mjs times in the
 * simulator, in the same window: mprotect of the middle of a VMA and back
 * (split, then merge), mmap + munmap of a fresh anonymous range, and a write
 * fault on a fresh page. Prints one line per operation: "<name> <ns per op>".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define BASE ((char *)0x200000000000UL)
#define PAGE 4096UL

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000;
  char *p = mmap(BASE, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != BASE) return 1;
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    mprotect(p + 2 * PAGE, 2 * PAGE, PROT_READ);
    mprotect(p + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE);
  }
  printf("mprotect %.1f\n", (now_ns() - t0) / (2.0 * n));
  munmap(p, 8 * PAGE);

  t0 = now_ns();
  for (long i = 0; i < n; i++) {
    char *q = mmap(BASE, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    munmap(q, 4 * PAGE);
  }
  printf("mmap_munmap %.1f\n", (now_ns() - t0) / (2.0 * n));

  long pages = n < 65536 ? n : 65536;
  char *r = mmap(BASE, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  t0 = now_ns();
  for (long i = 0; i < pages; i++) r[i * PAGE] = 1;
  printf("touch %.1f\n", (now_ns() - t0) / pages);
  munmap(r, pages * PAGE);
  return 0;
}
