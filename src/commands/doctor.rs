//! `jbuild doctor`: what jbuild makes of the current folder (the project
//! root, source roots, output folder, jars, JDKs, JUnit jar, cache and
//! daemon), each with where it comes from, and every problem with its fix.
//! Exit 0 when jbuild can build here, 1 otherwise.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use crate::context::Workspace;
use crate::error::ExitStatus;
use crate::project::Project;
use crate::project::layout::SourceRoot;
use crate::scanner::MainKind;
use crate::toolchain::daemon::DaemonClient;
use crate::toolchain::daemon::protocol::SOCKET;
use crate::toolchain::jdk::{InstalledJdk, SearchPlaces, select};

/// Bump when a field changes meaning or goes; new fields may come without.
const FORMAT_VERSION: u32 = 1;
/// Where Debian's `junit5` package puts the console launcher.
const SYSTEM_JUNIT: &str = "/usr/share/java/junit-platform-console-standalone.jar";
const JUNIT_PREFIX: &str = "junit-platform-console-standalone";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoctorFormat {
    Text,
    Json,
}

#[derive(Debug, Serialize)]
struct Report {
    format_version: u32,
    can_build: bool,
    project: Option<ProjectReport>,
    jdks: Vec<InstalledJdk>,
    selected_jdk: Option<SelectedJdk>,
    junit: Option<PathBuf>,
    cache: Option<CacheReport>,
    daemon: DaemonReport,
    notes: Vec<String>,
    warnings: Vec<String>,
    problems: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ProjectReport {
    root: PathBuf,
    found: String,
    roots: Vec<SourceRoot>,
    output: PathBuf,
    output_from: String,
    jars: Vec<Jar>,
    build_file: Option<crate::project::build_tool::BuildFile>,
    sources: usize,
}

#[derive(Debug, Serialize)]
struct Jar {
    path: PathBuf,
    from: String,
}

#[derive(Debug, Serialize)]
struct SelectedJdk {
    version: String,
    home: PathBuf,
    origin: String,
    why: String,
}

#[derive(Debug, Serialize)]
struct CacheReport {
    path: PathBuf,
    exists: bool,
    /// Compile workers compiled there (one per JDK).
    workers: usize,
}

#[derive(Debug, Serialize)]
struct DaemonReport {
    running: bool,
    pid: Option<u32>,
    status: Option<String>,
}

pub fn command(workspace: &Workspace, format: DoctorFormat) -> Result<ExitStatus> {
    let report = examine(workspace);
    match format {
        DoctorFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        DoctorFormat::Text => print!("{}", text(&report)),
    }
    Ok(if report.can_build { ExitStatus::Success } else { ExitStatus::Failure })
}

fn examine(workspace: &Workspace) -> Report {
    let places = SearchPlaces::from_env();
    let mut report = Report {
        format_version: FORMAT_VERSION,
        can_build: false,
        project: None,
        jdks: places.installed(),
        selected_jdk: None,
        junit: None,
        cache: cache(),
        daemon: daemon(),
        notes: Vec::new(),
        warnings: Vec::new(),
        problems: Vec::new(),
    };
    let project = match Project::load(&workspace.cwd, false, &workspace.overrides) {
        Ok(project) => project,
        Err(e) => {
            report.problems.push(format!("{e:#}"));
            report.junit = junit_jar(None);
            return report;
        }
    };
    let settings = &project.settings;
    let selected = select(settings.jdk, settings.release, project.java_level.as_ref(), &places);
    match &selected {
        Ok(selection) => {
            let javac = selection.jdk.javac.canonicalize().unwrap_or_else(|_| selection.jdk.javac.clone());
            report.selected_jdk = Some(SelectedJdk {
                version: selection.jdk.version.clone(),
                home: javac.parent().and_then(Path::parent).unwrap_or(&javac).to_path_buf(),
                origin: selection.origin.clone(),
                why: selection.why.clone(),
            });
            report.notes.extend(selection.jdk.notes.iter().cloned());
            report.warnings.extend(selection.warning.iter().cloned());
        }
        Err(e) => report.problems.push(format!("{e:#}")),
    }
    report.notes.extend(project.explanation.notes.iter().cloned());

    let tree = project.scan();
    report.warnings.extend(tree.warnings.iter().cloned());
    let utf8 = ["UTF-8", "UTF8"].iter().any(|e| settings.encoding.eq_ignore_ascii_case(e));
    let mut declared_by: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for file in &tree.files {
        report.problems.extend(project.package_problem(file));
        let path = project.src.join(&file.relative);
        if crate::build::starts_with_bom(&path) {
            report.problems.push(format!(
                "{} starts with a byte order mark (BOM), which javac refuses: save it as UTF-8 without BOM",
                project.shown(&path)
            ));
        } else if utf8 && !crate::build::is_utf8_file(&path) {
            report.problems.push(format!(
                "{} is not UTF-8 (older Windows editors saved Windows-1252), and javac reads sources as UTF-8: \
                 convert it (`iconv -f windows-1252 -t utf-8`), or set `encoding` in jbuild.toml if every source uses it",
                project.shown(&path)
            ));
        }
        for class in file.classes() {
            declared_by.entry(class.name).or_default().push(project.shown(&path));
        }
    }
    // `Candidato.java` and a stale `candidato.java`: one file on Windows and
    // macOS, two here, and javac refuses the second.
    for (class, files) in declared_by.iter().filter(|(_, files)| files.len() > 1) {
        let who = match files.as_slice() {
            [a, b] => format!("{a} and {b} both declare"),
            _ => format!("{} all declare", files.join(", ")),
        };
        report
            .problems
            .push(format!("{who} `{class}`; javac takes a class from one file only: remove or rename all but one"));
    }
    for stray in &project.explanation.strays {
        let file = crate::scanner::SourceFile::read(&project.root, stray.strip_prefix(&project.root).unwrap_or(stray));
        let package = file.ok().and_then(|f| f.declarations.package);
        let roots: Vec<&Path> = project.source_roots();
        let home = roots
            .first()
            .map(|root| project.shown(&crate::project::layout::folder_of_package(root, package.as_deref())));
        report.warnings.push(format!(
            "{}: lies outside the source roots, so jbuild does not compile it{}",
            project.shown(stray),
            home.map_or(String::new(), |h| format!("; to compile it, move it to {h}/"))
        ));
    }
    if tree.files.is_empty() && !crate::project::has_classroom_tests(&project.root) {
        let roots: Vec<String> = project.source_roots().iter().map(|r| project.shown(r)).collect();
        report.problems.push(format!("no .java files in {}: nothing to compile", roots.join(", ")));
    }
    if let Some(build) = &project.build_file {
        match project.jars() {
            Ok(jars) => {
                let missing = build.missing(&jars);
                if !missing.is_empty() {
                    report.problems.push(build.missing_message(&missing));
                }
            }
            Err(e) => report.problems.push(format!("{e:#}")),
        }
        let tests_only: Vec<String> = build.test_only().iter().map(|d| d.coordinates()).collect();
        if !tests_only.is_empty() {
            report.notes.push(format!("{} needs for the tests only: {}", build.file, tests_only.join(", ")));
        }
    }
    if let Ok(selection) = &selected {
        for class in tree.main_classes() {
            if class.main == Some(MainKind::Instance) && selection.jdk.feature() < MainKind::Instance.minimum_jdk() {
                let newer = report.jdks.iter().find(|j| j.feature() >= MainKind::Instance.minimum_jdk());
                let advice = match newer {
                    Some(jdk) => format!("set `jdk = {}` in jbuild.toml to use {}", jdk.feature(), jdk.home.display()),
                    None => "install JDK 25 or newer".to_owned(),
                };
                report.warnings.push(format!(
                    "`{}` has a main method only JDK 25 launches; the selected JDK is {}: {advice}",
                    class.name, selection.jdk.version
                ));
            }
        }
    }

    let mut jars = Vec::new();
    if let Some(lib) = &project.lib {
        for jar in project.jars().unwrap_or_default().into_iter().filter(|j| j.starts_with(lib)) {
            jars.push(Jar { path: jar, from: format!("{}/", project.shown(lib)) });
        }
    }
    for (jar, from) in &project.extra_jars {
        if !jars.iter().any(|j| &j.path == jar) {
            jars.push(Jar { path: jar.clone(), from: from.clone() });
        }
    }
    report.junit = junit_jar(Some(&jars.iter().map(|j| j.path.clone()).collect::<Vec<_>>()));
    report.project = Some(ProjectReport {
        root: project.root.clone(),
        found: project.explanation.found.clone(),
        roots: project.roots.clone(),
        output: project.classes.clone(),
        output_from: project.explanation.output.clone(),
        jars,
        build_file: project.build_file.clone(),
        sources: tree.files.len(),
    });
    report.can_build = report.problems.is_empty();
    report
}

/// The JUnit Platform console launcher: in the project's jars, else the system's.
fn junit_jar(jars: Option<&[PathBuf]>) -> Option<PathBuf> {
    let in_project = jars
        .into_iter()
        .flatten()
        .find(|jar| jar.file_name().is_some_and(|n| n.to_string_lossy().starts_with(JUNIT_PREFIX)));
    in_project.cloned().or_else(|| Some(PathBuf::from(SYSTEM_JUNIT)).filter(|jar| jar.is_file()))
}

fn cache() -> Option<CacheReport> {
    let path = crate::env::get().cache_dir.clone()?;
    let workers = std::fs::read_dir(path.join("worker"))
        .map(|entries| entries.filter_map(Result::ok).filter(|e| e.path().is_dir() && !is_temporary(&e.path())).count())
        .unwrap_or(0);
    Some(CacheReport { exists: path.is_dir(), path, workers })
}

/// A worker being built or set aside, not a compiled one.
fn is_temporary(path: &Path) -> bool {
    path.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.starts_with("building-") || n.starts_with("discarded-")
    })
}

/// Asks a running daemon for its status, never starting one.
fn daemon() -> DaemonReport {
    let not_running = DaemonReport { running: false, pid: None, status: None };
    let Some(cache) = crate::env::get().cache_dir.clone() else { return not_running };
    if !cache.join("daemon").join(SOCKET).exists() {
        return not_running;
    }
    match DaemonClient::connect_existing() {
        Ok(Some(mut client)) => {
            let status = client.status().ok();
            DaemonReport { running: true, pid: Some(client.pid), status }
        }
        _ => not_running,
    }
}

/// The report for people: one aligned line per fact.
fn text(report: &Report) -> String {
    let mut out = String::new();
    let mut line = |label: &str, text: &str| out.push_str(&format!("{label:<11} {text}\n"));
    if let Some(project) = &report.project {
        let shown = |path: &Path| crate::term::relative(&project.root, path);
        line("project", &format!("{} ({})", project.root.display(), project.found));
        for root in &project.roots {
            let label = match root.kind {
                crate::project::layout::RootKind::Main => "sources",
                crate::project::layout::RootKind::Test => "tests",
                crate::project::layout::RootKind::Resources => "resources",
            };
            line(label, &format!("{}/ ({})", shown(&root.path), root.why));
        }
        line("java files", &project.sources.to_string());
        line("output", &format!("{}/ ({})", shown(&project.output), project.output_from));
        if project.jars.is_empty() {
            line("jars", "none");
        }
        for jar in &project.jars {
            line("jars", &format!("{} ({})", shown(&jar.path), jar.from));
        }
        if let Some(build) = &project.build_file {
            let names: Vec<String> = build.dependencies.iter().map(|d| d.coordinates()).collect();
            let names = if names.is_empty() { "no dependencies".to_owned() } else { names.join(", ") };
            line("build file", &format!("{} ({names})", build.file));
        }
    }
    if report.jdks.is_empty() {
        line("JDKs", "none found");
    }
    for jdk in &report.jdks {
        line("JDKs", &format!("{} at {} ({})", jdk.version, jdk.home.display(), jdk.origin));
    }
    if let Some(jdk) = &report.selected_jdk {
        line("selected", &format!("JDK {} at {} (from {}; {})", jdk.version, jdk.home.display(), jdk.origin, jdk.why));
    }
    match &report.junit {
        Some(jar) => line("JUnit", &jar.display().to_string()),
        None => line("JUnit", &format!("not found (looked for lib/{JUNIT_PREFIX}*.jar and {SYSTEM_JUNIT})")),
    }
    match &report.cache {
        Some(cache) if cache.exists => line(
            "cache",
            &format!("{} ({} compiled)", cache.path.display(), crate::term::count(cache.workers, "worker")),
        ),
        Some(cache) => line("cache", &format!("{} (not created yet)", cache.path.display())),
        None => line("cache", "none: set JBUILD_CACHE_DIR, XDG_CACHE_HOME or HOME"),
    }
    match (&report.daemon.pid, &report.daemon.status) {
        (Some(pid), Some(status)) => line("daemon", &format!("running: pid={pid} {status}")),
        (Some(pid), None) => line("daemon", &format!("running: pid={pid}")),
        _ => line("daemon", "not running"),
    }
    for (label, items) in [("note", &report.notes), ("warning", &report.warnings), ("problem", &report.problems)] {
        for item in items {
            line(label, item);
        }
    }
    out.push_str(if report.can_build {
        "\njbuild can build here.\n"
    } else {
        "\njbuild cannot build here until the problems above are fixed.\n"
    });
    out
}
