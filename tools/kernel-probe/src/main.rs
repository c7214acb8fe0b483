//! kernel-probe: runs VMA scenarios (see packages/sim/scenarios/README.md)
//! against the running Linux kernel and prints each scenario back with the
//! kernel's results and the resulting VMA list from /proc/self/smaps.

#[cfg(target_os = "linux")]
mod errno;
#[cfg(target_os = "linux")]
mod fault;
#[cfg(target_os = "linux")]
mod host_facts;
#[cfg(target_os = "linux")]
mod isolate;
#[cfg(target_os = "linux")]
mod runner;
#[cfg(target_os = "linux")]
mod scenario;
#[cfg(target_os = "linux")]
mod smaps;
#[cfg(target_os = "linux")]
mod window;

#[cfg(target_os = "linux")]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match isolate::main(&args) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("kernel-probe: {message}");
            1
        }
    };
    std::process::exit(code);
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!(
        "kernel-probe: Linux only: it runs scenarios against the live Linux kernel and reads /proc/self/smaps (this build is for {})",
        std::env::consts::OS
    );
    std::process::exit(2);
}
