//! Runs each scenario in its own forked child and collects the output line
//! the child (or, after `fork` ops, its last descendant) writes to a pipe.

use std::ffi::CString;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::path::{Path, PathBuf};

use crate::{host_facts, runner, scenario, window};

const USAGE: &str = "usage: kernel-probe [FILE.jsonl ...]   (scenarios from the files, or stdin)\n       kernel-probe --host-facts";

pub fn main(args: &[String]) -> Result<(), String> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return Ok(());
    }
    if args.first().is_some_and(|a| a == "--host-facts") {
        if args.len() > 1 {
            return Err(format!("--host-facts takes no other arguments\n{USAGE}"));
        }
        println!("{}", host_facts::collect()?);
        return Ok(());
    }
    if let Some(flag) = args.iter().find(|a| a.starts_with('-')) {
        return Err(format!("unknown option {flag}\n{USAGE}"));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.is_empty() {
        run_lines("stdin", BufReader::new(std::io::stdin().lock()), &mut out)?;
    }
    for path in args {
        let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
        run_lines(path, BufReader::new(file), &mut out)?;
    }
    out.flush().map_err(|e| format!("writing stdout: {e}"))
}

fn run_lines(source: &str, input: impl BufRead, out: &mut impl Write) -> Result<(), String> {
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(|e| format!("{source}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{source}:{}", i + 1);
        let scenario = scenario::parse_scenario(&line)
            .map_err(|e| format!("{at}: malformed scenario: {e}"))?;
        let name = scenario.name.clone();
        let result = run_isolated(scenario).map_err(|e| format!("{at}: scenario {name}: {e}"))?;
        out.write_all(result.as_bytes())
            .map_err(|e| format!("writing stdout: {e}"))?;
    }
    Ok(())
}

fn run_isolated(scenario: scenario::Scenario) -> Result<String, String> {
    window::verify_free()?;
    let dir = TempDir::new()?;
    let dir_path = dir.path.clone();
    in_child(move |out| runner::run(scenario, &dir_path, out))
}

/// Forks; the child runs `work`, which must write its answer to the given
/// pipe end and exit. Returns what was written once every writer has exited,
/// or an error if the child did not exit with status 0.
pub fn in_child(work: impl FnOnce(RawFd) -> Result<String, String>) -> Result<String, String> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two descriptors we own from here on.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err("pipe2 failed".into());
    }
    let [read_end, write_end] = fds;
    // SAFETY: the probe is single-threaded, so the child may run Rust code.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(format!("fork failed: {}", crate::errno::last_errno_name()));
    }
    if pid == 0 {
        // SAFETY: the child's copy of the read end is not used.
        unsafe { libc::close(read_end) };
        match work(write_end) {
            Ok(text) => report(write_end, &text),
            Err(message) => fail(&message),
        }
    }
    // SAFETY: the parent's copy of the write end is not used; read_end is ours.
    let mut reader = unsafe {
        libc::close(write_end);
        std::fs::File::from_raw_fd(read_end)
    };
    let mut text = String::new();
    let read = reader.read_to_string(&mut text);
    let status = wait_exit_status(pid);
    read.map_err(|e| format!("reading the child's report: {e}"))?;
    match status {
        0 if !text.is_empty() => Ok(text),
        0 => Err("the child exited without a report".into()),
        code => Err(format!("the child failed ({})", describe_status(code))),
    }
}

/// Waits for `pid`; returns its exit code, or 128 + signal if it was killed.
pub fn wait_exit_status(pid: libc::pid_t) -> i32 {
    let mut status = 0;
    loop {
        // SAFETY: waiting for our own child.
        let ret = unsafe { libc::waitpid(pid, &mut status, 0) };
        if ret == pid {
            break;
        }
        if ret < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return 255;
        }
    }
    if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    }
}

fn describe_status(code: i32) -> String {
    if code > 128 {
        format!("killed by signal {}", code - 128)
    } else {
        format!("exit status {code}")
    }
}

/// Writes `text` to the report pipe and ends the process without running
/// any destructor or flushing stdio inherited from the probe.
pub fn report(fd: RawFd, text: &str) -> ! {
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        // SAFETY: writing from a live buffer to our pipe end.
        let n = unsafe { libc::write(fd, rest.as_ptr().cast(), rest.len()) };
        if n <= 0 {
            fail("writing the report pipe failed");
        }
        rest = &rest[n as usize..];
    }
    // SAFETY: ends this process.
    unsafe { libc::_exit(0) }
}

pub fn fail(message: &str) -> ! {
    eprintln!("kernel-probe: {message}");
    // SAFETY: ends this process.
    unsafe { libc::_exit(3) }
}

/// A fresh directory for one scenario's files, removed when dropped (by the
/// probe, after the scenario's processes are gone).
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> Result<Self, String> {
        let template = std::env::temp_dir().join("kernel-probe-XXXXXX");
        let template = CString::new(template.into_os_string().into_encoded_bytes())
            .map_err(|e| e.to_string())?;
        let raw = template.into_raw();
        // SAFETY: mkdtemp rewrites the XXXXXX of the NUL-terminated buffer we own.
        let made = unsafe { libc::mkdtemp(raw) };
        // SAFETY: reclaims the buffer handed out by into_raw.
        let template = unsafe { CString::from_raw(raw) };
        if made.is_null() {
            return Err(format!(
                "mkdtemp in {} failed",
                std::env::temp_dir().display()
            ));
        }
        let path = PathBuf::from(std::ffi::OsString::from(
            std::str::from_utf8(template.as_bytes()).map_err(|e| e.to_string())?,
        ));
        // smaps prints resolved paths, so labels must be matched against one.
        let path = std::fs::canonicalize(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(Path::new(&self.path));
    }
}
