//! How the `stet` executable is linked: `build.rs` links GCC's unwinder
//! into it on Linux with glibc, so that it does not load `libgcc_s` (and
//! run its CPU probes) at every start.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_executable_does_not_load_libgcc_s_when_its_unwinder_is_linked_in() {
    use std::path::Path;
    use std::process::Command;

    let archive = Command::new("cc")
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    if !Path::new(&archive).is_absolute() || option_env!("STET_DYNAMIC_LIBGCC").is_some() {
        eprintln!("skipped: this toolchain links libgcc_s (no libgcc_eh.a, or asked to)");
        return;
    }
    let exe = env!("CARGO_BIN_EXE_stet");
    let bytes = std::fs::read(exe).expect("read the executable");
    // A needed library is named in the dynamic string table.
    assert!(
        !bytes.windows(14).any(|w| w == b"libgcc_s.so.1\0"),
        "{exe} still names libgcc_s.so.1"
    );
    let out = Command::new(exe)
        .arg("--version")
        .output()
        .expect("run stet");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("stet "));
}
