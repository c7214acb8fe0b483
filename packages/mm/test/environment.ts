import { AnonVma, KERNEL_6_18_FEATURES, PAGE_SIZE, type VmaInternal } from '../src/index.js';

// A complete, permissive environment for tests that build an mm by hand:
// every limit generous, every hook a success, warnings recorded.

export function environment(
  over: Partial<VmaInternal> & { warnings?: string[] } = {},
): VmaInternal & { warnings: string[] } {
  const warnings: string[] = over.warnings ?? [];
  return {
    sysctlMaxMapCount: 65530,
    TASK_SIZE: 2 ** 47 - PAGE_SIZE,
    mmapMinAddr: 65536,
    stackGuardGap: 256 * PAGE_SIZE,
    failPrealloc: false,
    debugVmMapleTree: true,
    current: { comm: 't', pid: 1, mm: null, personality: 0 },
    features: KERNEL_6_18_FEATURES,
    anonVmaClone: (dst, src) => {
      dst.anonVma = src.anonVma;
      return 0;
    },
    unlinkAnonVmas: () => {},
    __anonVmaPrepare: (vma) => {
      vma.anonVma = new AnonVma();
      return 0;
    },
    vmaStartWrite: () => {},
    vmAreaAlloc: () => {},
    vmAreaFree: () => {},
    getFile: () => {},
    fput: () => {},
    vmaDupPolicy: (src, dst) => {
      dst.vmPolicy = src.vmPolicy;
      return 0;
    },
    mpolPut: () => {},
    userfaultfdUnmapPrep: () => 0,
    capable: () => false,
    rlimit: () => Number.MAX_SAFE_INTEGER,
    mayExpandVm: () => true,
    securityVmEnoughMemoryMm: () => 0,
    vmAcctMemory: () => {},
    pgtableSupportsSoftDirty: () => false,
    vmaSoftDirtyEnabled: () => false,
    vmaSupportsMlock: () => true,
    userfaultfdWp: () => false,
    ksmVmaFlags: (_mm, _file, flags) => flags,
    khugepagedEnterVma: () => {},
    vmaClose: () => {},
    mmapFile: () => 0,
    shmemZeroSetup: () => 0,
    shmemFile: () => false,
    isVmHugetlbPage: () => false,
    isFileHugepages: () => false,
    warn: (what) => void warnings.push(what),
    bug: (what) => {
      throw new Error(what);
    },
    ...over,
    warnings,
  };
}
