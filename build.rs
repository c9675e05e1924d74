//! Links GCC's unwinder (`libgcc_eh.a`) into the `stet` executable on
//! Linux with glibc, instead of loading `libgcc_s.so.1` at start-up.
//!
//! Rust's standard library asks for `-lgcc_s` for unwinding. Loading it
//! costs every run of stet about 0.2 ms on the machines we measured
//! (`README.md`, Benchmarks): mapping one more library, resolving its
//! symbols, and its constructor `__cpu_indicator_init`, whose `cpuid`
//! instructions trap to the hypervisor in a virtual machine (about 10 µs
//! each). That is a tenth of a short `stet diff`, the case cron runs most.
//!
//! The same unwinder, linked statically (what `-static-libgcc` and Rust's
//! musl targets do), leaves `libgcc_s` unneeded, and `--as-needed` (which
//! rustc passes) drops it. Panics unwind as before. Only the executables
//! get this (`rustc-link-arg-bins`): the library, tests and proc-macros
//! link as usual. Where the archive cannot be found (another C toolchain,
//! a cross build, a static build), nothing changes.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=STET_DYNAMIC_LIBGCC");
    if let Some(archive) = static_unwinder() {
        println!("cargo:rustc-link-arg-bins=-Wl,--whole-archive");
        println!("cargo:rustc-link-arg-bins={}", archive.display());
        println!("cargo:rustc-link-arg-bins=-Wl,--no-whole-archive");
    }
}

/// The path of `libgcc_eh.a` when the executable should link it.
fn static_unwinder() -> Option<PathBuf> {
    let var = |k: &str| env::var(k).unwrap_or_default();
    let linux_gnu = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    let static_crt = var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    // The host's C compiler names the host's archive: cross builds keep
    // the default.
    let native = var("TARGET") == var("HOST");
    if !linux_gnu || static_crt || !native || env::var_os("STET_DYNAMIC_LIBGCC").is_some() {
        return None;
    }
    // rustc links through `cc` unless told otherwise.
    let linker = env::var("RUSTC_LINKER").unwrap_or_else(|_| "cc".to_string());
    let out = Command::new(linker)
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()?;
    // Unknown files are printed back as given: only a real path will do.
    let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    (out.status.success() && path.is_absolute() && path.is_file()).then_some(path)
}
