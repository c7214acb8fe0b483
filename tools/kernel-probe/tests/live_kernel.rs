//! Runs the built probe against the live kernel. Linux only: elsewhere the
//! probe is a stub that exits 2, so there is nothing to observe and this file
//! compiles to no tests.
#![cfg(target_os = "linux")]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn run_probe(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kernel-probe"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kernel-probe");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn probe(stdin: &str) -> String {
    let out = run_probe(&[], stdin);
    assert!(
        out.status.success(),
        "probe failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs one scenario built from op objects (wrapped freely over lines here,
/// joined into one input line) and returns the output object.
fn scenario(ops: &str) -> Value {
    let ops: String = ops.lines().map(str::trim).collect();
    let out = probe(&format!(r#"{{"name":"t","ops":[{ops}]}}"#));
    serde_json::from_str(&out).unwrap()
}

fn results(out: &Value) -> Vec<&str> {
    out["ops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| op["result"].as_str().unwrap())
        .collect()
}

fn flags(vma: &Value) -> Vec<&str> {
    vma["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

const ANON_RW: &str =
    r#""prot":["read","write"],"flags":["private","anonymous","fixed_noreplace"]"#;

fn host_facts() -> Value {
    let out = run_probe(&["--host-facts"], "");
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn output_echoes_input_and_matches_the_format_example() {
    // The example of the scenario format, byte for byte.
    let input = r#"{"name":"unmap_middle","ops":[{"op":"mmap","page":0,"pages":4,"prot":["read","write"],"flags":["private","anonymous","fixed_noreplace"]},{"op":"munmap","page":1,"pages":1}]}"#;
    let expected = r#"{"name":"unmap_middle","ops":[{"op":"mmap","page":0,"pages":4,"prot":["read","write"],"flags":["private","anonymous","fixed_noreplace"],"result":"ok"},{"op":"munmap","page":1,"pages":1,"result":"ok"}],"vmas":[{"start":0,"end":1,"perms":"rw-p","anon":true,"backing":"anon","file":null,"pgoff":null,"flags":["rd","wr","mr","mw","me","ac"]},{"start":2,"end":4,"perms":"rw-p","anon":true,"backing":"anon","file":null,"pgoff":null,"flags":["rd","wr","mr","mw","me","ac"]}]}"#;
    assert_eq!(probe(input), format!("{expected}\n"));
    // Feeding a recorded line back recomputes the same line.
    assert_eq!(probe(expected), format!("{expected}\n"));
}

#[test]
fn fixed_noreplace_over_a_mapping_is_eexist() {
    // torvalds/linux @2d6c928241ad mm/mmap.c do_mmap: MAP_FIXED_NOREPLACE
    // fails with EEXIST when the range intersects an existing VMA.
    let out = scenario(&format!(
        r#"{{"op":"mmap","page":0,"pages":4,{ANON_RW}}},{{"op":"mmap","page":3,"pages":2,{ANON_RW}}}"#
    ));
    assert_eq!(results(&out), ["ok", "EEXIST"]);
    assert_eq!(out["vmas"].as_array().unwrap().len(), 1);
}

#[test]
fn touching_a_file_mapping_past_eof_is_sigbus_and_the_state_survives() {
    // torvalds/linux @b6273b55d885 mm/filemap.c filemap_fault: a page index
    // at or beyond the file size is VM_FAULT_SIGBUS. The probe must report the
    // signal and keep the process (the munmap after it still runs).
    let out = scenario(
        r#"{"op":"create_file","file":"file0","pages":2},{"op":"open","fd":"a","file":"file0","mode":"rdwr"},
           {"op":"mmap","page":8,"pages":4,"prot":["read","write"],"flags":["shared","fixed"],"fd":"a","offset_pages":0},
           {"op":"touch","page":8,"pages":4},{"op":"munmap","page":11,"pages":1}"#,
    );
    assert_eq!(results(&out), ["ok", "ok", "ok", "SIGBUS", "ok"]);
    assert_eq!(out["ops"][3]["fault_page"], 10);
    let vma = &out["vmas"][0];
    assert_eq!(
        (vma["start"].as_u64(), vma["end"].as_u64()),
        (Some(8), Some(11))
    );
    assert_eq!(
        (
            vma["backing"].as_str(),
            vma["file"].as_str(),
            vma["perms"].as_str()
        ),
        (Some("file"), Some("file0"), Some("rw-s"))
    );
}

#[test]
fn sealed_vmas_refuse_mprotect_and_munmap() {
    // torvalds/linux @14dad135d68b mm/mseal.c: sealing sets VM_SEALED ("sl"
    // in smaps); mprotect and munmap of a sealed range then fail with EPERM.
    let out = scenario(&format!(
        r#"{{"op":"mmap","page":0,"pages":2,{ANON_RW}}},{{"op":"mseal","page":0,"pages":2}},
           {{"op":"mprotect","page":0,"pages":1,"prot":["read"]}},{{"op":"munmap","page":0,"pages":2}}"#
    ));
    assert_eq!(results(&out), ["ok", "ok", "EPERM", "EPERM"]);
    assert!(flags(&out["vmas"][0]).contains(&"sl"));
}

#[test]
fn mremap_fixed_without_maymove_is_einval() {
    // torvalds/linux @2b235826098b mm/mremap.c: MREMAP_FIXED requires
    // MREMAP_MAYMOVE.
    let out = scenario(&format!(
        r#"{{"op":"mmap","page":0,"pages":2,{ANON_RW}}},{{"op":"mremap","page":0,"pages":2,"new_pages":2,"flags":["fixed"],"new_page":10}}"#
    ));
    assert_eq!(results(&out), ["ok", "EINVAL"]);
}

#[test]
fn dontfork_vmas_are_not_copied_into_the_child() {
    // torvalds/linux @b501d4dc83aa kernel/fork.c dup_mmap skips VM_DONTCOPY
    // VMAs; ops after `fork` and the VMA list are the child's.
    let out = scenario(&format!(
        r#"{{"op":"mmap","page":0,"pages":3,{ANON_RW}}},{{"op":"madvise","page":1,"pages":1,"advice":"dontfork"}},{{"op":"fork"}}"#
    ));
    assert_eq!(results(&out), ["ok", "ok", "ok"]);
    let spans: Vec<(u64, u64)> = out["vmas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap()))
        .collect();
    assert_eq!(spans, [(0, 1), (2, 3)]);
}

#[test]
fn host_facts_report_the_default_stack_guard_gap() {
    // torvalds/linux @2d6c928241ad mm/mmap.c: stack_guard_gap defaults to 256
    // pages and can only be changed with the stack_guard_gap= boot option.
    let facts = host_facts();
    let cmdline = std::fs::read_to_string("/proc/cmdline").unwrap_or_default();
    if cmdline.contains("stack_guard_gap=") {
        assert!(facts["stack_guard_gap_pages"].is_u64());
    } else {
        assert_eq!(facts["stack_guard_gap_pages"], 256);
    }
    assert_eq!(facts["page_size"], 4096);
    for key in [
        "kernel_release",
        "arch",
        "thp_enabled",
        "soft_dirty",
        "max_map_count",
        "rlimit_memlock",
        "uid",
    ] {
        assert!(facts.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn locking_beyond_rlimit_memlock_needs_cap_ipc_lock() {
    let facts = host_facts();
    if facts["cap_ipc_lock"] != true {
        eprintln!("skipped: locking beyond RLIMIT_MEMLOCK needs CAP_IPC_LOCK (run as root)");
        return;
    }
    // torvalds/linux @bc809a7756bd mm/mlock.c do_mlock: RLIMIT_MEMLOCK only
    // binds without CAP_IPC_LOCK, so 64 MiB lock even under an 8 MiB limit.
    let pages = 16384;
    let out = scenario(&format!(
        r#"{{"op":"mmap","page":0,"pages":{pages},{ANON_RW}}},{{"op":"mlock","page":0,"pages":{pages}}}"#
    ));
    assert_eq!(results(&out), ["ok", "ok"]);
    assert!(flags(&out["vmas"][0]).contains(&"lo"));
}

#[test]
fn malformed_scenarios_fail_loudly_naming_the_problem() {
    let out = run_probe(
        &[],
        r#"{"name":"bad","ops":[{"op":"munmap","page":1048576,"pages":1}]}"#,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("stdin:1") && err.contains("leaves the window"),
        "{err}"
    );
}

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packages/sim/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".jsonl") && !name.starts_with("expected-")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_corpus_records_identically_three_times_and_matches_the_recording() {
    let files = corpus_files();
    assert!(!files.is_empty());
    let args: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();
    let runs: Vec<Vec<u8>> = (0..3)
        .map(|_| {
            let out = run_probe(&args, "");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        })
        .collect();
    assert!(
        runs[0] == runs[1] && runs[1] == runs[2],
        "three runs of the corpus differ"
    );
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
    let release = release.trim();
    let recorded = files[0].with_file_name(format!("expected-{release}.jsonl"));
    let Ok(expected) = std::fs::read(&recorded) else {
        eprintln!("skipped the comparison: no recording for kernel {release}");
        return;
    };
    // Answers depend on the host (capabilities, limits, THP mode), so the
    // recording is only authoritative on a host with the recorded facts.
    let host_path = files[0].with_file_name(format!("host-{release}.json"));
    let recorded_host: Value = serde_json::from_slice(&std::fs::read(&host_path).unwrap()).unwrap();
    if recorded_host != host_facts() {
        eprintln!(
            "skipped the comparison: this host's facts differ from {}",
            host_path.display()
        );
        return;
    }
    assert!(
        expected == runs[0],
        "{} is out of date: re-record it",
        recorded.display()
    );
}
