//! `--bench` against the live kernel. Linux only, like the probe.
#![cfg(target_os = "linux")]

use serde_json::Value;
use std::process::Command;

fn bench(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kernel-probe"))
        .arg("--bench")
        .args(args)
        .output()
        .expect("start kernel-probe")
}

#[test]
fn every_stream_reports_a_time_per_op() {
    for stream in ["mprotect", "munmap_mmap", "madvise"] {
        let out = bench(&[stream, "64", "200"]);
        assert!(
            out.status.success(),
            "{stream}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["stream"], stream);
        assert_eq!(v["vmas"], 64);
        assert_eq!(v["ops"], 200);
        let rounds = v["rounds_ns_per_op"].as_array().unwrap();
        assert_eq!(rounds.len(), 5);
        let median = v["ns_per_op"].as_f64().unwrap();
        assert!(median > 0.0, "{v}");
        assert!(rounds.iter().any(|r| r.as_f64() == Some(median)), "{v}");
    }
}

#[test]
fn bad_arguments_exit_1_naming_the_argument() {
    for (args, message) in [
        (&["mprotect", "64"][..], "expected 3 arguments"),
        (&["brk", "64", "2"][..], "unknown stream `brk`"),
        (&["madvise", "0", "2"][..], "VMAS must be an integer"),
        (&["madvise", "64", "3"][..], "OPS must be even"),
    ] {
        let out = bench(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

#[test]
fn the_window_is_free_again_afterwards() {
    // Two runs in a row: the second verifies the window is free before it starts.
    for _ in 0..2 {
        assert!(bench(&["munmap_mmap", "8", "2"]).status.success());
    }
}
