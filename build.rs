//! Build facts: the git commit for `jbuild --version`, and what the machine
//! offers the test suite (tests that need root or a JDK 25 are ignored,
//! with the reason, when it is missing; `.ci/run` reports them).

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(jbuild_root)");
    println!("cargo::rustc-check-cfg=cfg(jbuild_jdk25)");

    // `jbuild --version`: the version, and the commit when built from a checkout.
    let mut version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    if Path::new(".git/HEAD").exists() {
        println!("cargo::rerun-if-changed=.git/HEAD");
        println!("cargo::rerun-if-changed=.git/refs/heads");
        let commit = Command::new("git").args(["rev-parse", "--short=9", "HEAD"]).output();
        if let Ok(output) = commit
            && output.status.success()
        {
            version = format!("{version} ({})", String::from_utf8_lossy(&output.stdout).trim());
        }
    }
    println!("cargo::rustc-env=JBUILD_VERSION={version}");

    let uid = Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if uid.is_ok_and(|uid| uid == "0") {
        println!("cargo::rustc-cfg=jbuild_root");
    }

    println!("cargo::rerun-if-changed=/usr/lib/jvm");
    println!("cargo::rerun-if-env-changed=JAVA_HOME");
    let mut homes: Vec<std::path::PathBuf> = std::env::var_os("JAVA_HOME").map(Into::into).into_iter().collect();
    if let Ok(entries) = std::fs::read_dir("/usr/lib/jvm") {
        homes.extend(entries.filter_map(Result::ok).map(|e| e.path()));
    }
    let has_jdk25 = homes.iter().any(|home| {
        let release = std::fs::read_to_string(home.join("release")).unwrap_or_default();
        let version = release.lines().find_map(|l| l.strip_prefix("JAVA_VERSION=")).unwrap_or("").trim_matches('"');
        let feature: u32 = version.split('.').next().and_then(|v| v.parse().ok()).unwrap_or(0);
        feature >= 25 && home.join("bin/javac").is_file()
    });
    if has_jdk25 {
        println!("cargo::rustc-cfg=jbuild_jdk25");
    }
}
