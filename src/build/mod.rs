//! The compile core: javac exactly like the classic script, but only when
//! something that matters changed.
//!
//! javac writes into a fresh folder inside `classes/.jbuild/`; on success the
//! class files move into place and the build record is rewritten, so a
//! failed compile leaves both the old classes and the old record untouched.

pub mod lock;
pub mod outputs;
pub mod record;
pub mod resources;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use walkdir::WalkDir;

use self::lock::{OutputLock, STAGING_PREFIX};
use self::outputs::{create_real_folders, remove_owned};
use self::record::{BuildRecord, OutputFile, SourceState, hash_file, key_of};
use crate::context::Context;
use crate::error::usage;
use crate::project::Project;
use crate::scanner::SourceTree;
use crate::term::count;
use crate::toolchain::javac::Javac;
use crate::toolchain::process::ToolCommand;

/// What to compile.
#[derive(Debug, Clone)]
pub enum Request {
    /// Every `.java` file under `src/`, in one javac call.
    WholeTree,
    /// These sources (relative to `src/`) and whatever they use.
    Files(Vec<PathBuf>),
}

/// Compiles `request` unless the record says its classes are current.
/// Returns whether javac ran.
pub fn build(ctx: &Context, request: &Request, javac: &mut Javac) -> Result<bool> {
    let project = &ctx.project;
    project.check_dependencies()?;
    let listing = project.list_sources();
    for warning in &listing.warnings {
        ctx.status.warning(warning);
    }
    if !project.explanation.strays.is_empty() {
        let strays: Vec<String> = project.explanation.strays.iter().map(|s| project.shown(s)).collect();
        ctx.status.warning(format_args!(
            "not compiling {}: outside the source roots ({}); `jbuild doctor` says more",
            strays.join(", "),
            project.source_roots().iter().map(|r| project.shown(r)).collect::<Vec<_>>().join(", ")
        ));
    }
    let targets = match request {
        Request::WholeTree if listing.files.is_empty() => {
            let roots: Vec<String> = project.source_roots().iter().map(|r| r.display().to_string()).collect();
            return Err(usage(format!("no .java files under {}", roots.join(", "))));
        }
        Request::WholeTree => listing.files.clone(),
        Request::Files(files) => files.clone(),
    };
    let label = match request {
        Request::Files(files) if files.len() == 1 => class_label(project, &files[0]),
        _ => count(targets.len(), "file"),
    };
    let label = match javac.shared_cwd().map(|cwd| project.root.strip_prefix(cwd).unwrap_or(&project.root)) {
        // One worker, many projects: say which project each line is about.
        Some(name) if !name.as_os_str().is_empty() => format!("{}: {label}", name.display()),
        _ => label,
    };
    let target_keys: Vec<String> = targets.iter().map(|t| key_of(t)).collect();

    let lock = OutputLock::acquire(&project.classes, || {
        ctx.status.line("Blocking", "waiting for another jbuild to finish with the output folder")
    })?;
    lock.remove_leftover_staging(&project.classes);
    let jdk = ctx.jdk()?;
    let settings = settings_fingerprint(ctx)?;
    let (mut record, untrusted) = BuildRecord::load(&project.classes);
    if let Some(why) = untrusted {
        ctx.status.warning(why);
    }
    let resources_changed = resources::sync(&project.resource_roots(), &project.classes, &mut record, &ctx.status)?;
    let sources = record.current_sources(&project.src, &listing.files)?;
    if record.is_fresh(&settings, &sources, &target_keys, &project.classes) {
        ctx.status.line("Fresh", &label);
        if record.sources != sources || resources_changed {
            // Touched but unchanged files: remember the new mtimes so the
            // next check does not hash them again.
            BuildRecord { sources, ..record }.save(&project.classes)?;
        }
        return Ok(false);
    }

    let tree = project.scan();
    check_packages(project, &tree, &targets)?;
    check_compact_files(&tree, &targets, jdk)?;

    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(BuildRecord::dir(&project.classes))
        .context("creating a staging folder")?;
    let mut command = javac_command(ctx, staging.path(), &targets, javac.shared_cwd())?;
    let warm = if javac.is_warm() { ", warm" } else { "" };
    ctx.status.line("Compiling", format_args!("{label} (javac {}{warm})", jdk.version));
    ctx.status.command(&command.display_with_cwd(), if javac.is_warm() { " in the warm worker" } else { "" });
    let run = javac.run(jdk, &ctx.status, &mut command, staging.path())?;
    if !run.success {
        return Err(CompileFailed { label, code: run.code, diagnostics: run.diagnostics }.into());
    }
    install_outputs(ctx, &tree, record, sources, settings, &targets, staging.path())?;
    Ok(true)
}

/// javac failed; its diagnostics were printed, or captured here.
#[derive(Debug)]
pub struct CompileFailed {
    pub label: String,
    pub code: Option<i32>,
    pub diagnostics: Vec<u8>,
}

impl std::fmt::Display for CompileFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.code {
            Some(code) => write!(f, "could not compile {}: javac exited with code {code}", self.label),
            None => write!(f, "could not compile {}: javac was killed", self.label),
        }
    }
}

impl std::error::Error for CompileFailed {}

/// The javac command line: the classic script's `-d <classes> -sourcepath
/// <src>`, run from the folder the user stands in (or, when one worker
/// serves several projects, the folder the batch started in) with paths
/// relative to it, so javac's diagnostics name files as the user would type
/// them: `src/shop/Cart.java:11:` from the project, `shop/Cart.java:11:`
/// from `src/`.
fn javac_command(ctx: &Context, out: &Path, targets: &[PathBuf], shared_cwd: Option<&Path>) -> Result<ToolCommand> {
    let project = &ctx.project;
    let settings = &project.settings;
    let cwd = shared_cwd.unwrap_or(&ctx.cwd);
    let mut javac = ToolCommand::jdk_tool(&ctx.jdk()?.javac);
    javac.current_dir(cwd);
    javac.arg("-d").arg(out);
    // The staging folder doubles as an empty classpath: javac then finds no
    // stray class files (not even in src/) and compiles everything it uses
    // from source, like the script did.
    let mut classpath = project.jars()?;
    classpath.insert(0, out.to_path_buf());
    javac.arg("-classpath").arg(std::env::join_paths(&classpath).context("joining the classpath")?);
    // Every source root, relative to where javac runs.
    let roots: Vec<PathBuf> = project.source_roots().into_iter().map(|root| relative_path(cwd, root)).collect();
    javac.arg("-sourcepath").arg(std::env::join_paths(&roots).context("joining the source path")?);
    javac.arg("-encoding").arg(&settings.encoding);
    if let Some(release) = settings.release {
        javac.arg("--release").arg(release.to_string());
    }
    javac.args(&settings.javac_args);
    javac.args(targets.iter().map(|t| relative_path(cwd, &project.src.join(t))));
    Ok(javac)
}

/// `path` relative to `base` (both absolute), with `..` where needed: `.`
/// for `base` itself.
pub fn relative_path(base: &Path, path: &Path) -> PathBuf {
    let base: Vec<_> = base.components().collect();
    let path_parts: Vec<_> = path.components().collect();
    let common = base.iter().zip(&path_parts).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut relative: PathBuf = std::iter::repeat_n("..", base.len() - common).collect();
    relative.extend(&path_parts[common..]);
    if relative.as_os_str().is_empty() { PathBuf::from(".") } else { relative }
}

/// Refuses files whose package does not match their folder in their
/// source root, before javac gives a cryptic error about it.
fn check_packages(project: &Project, tree: &SourceTree, targets: &[PathBuf]) -> Result<()> {
    for target in targets {
        let Some(file) = tree.file(target) else { continue };
        if let Some(problem) = project.package_problem(file) {
            bail!("{problem}");
        }
    }
    Ok(())
}

/// Refuses a JDK 25 compact source file (top-level methods) when the JDK
/// cannot compile it, before javac says "class, interface, enum, or record
/// expected".
fn check_compact_files(tree: &SourceTree, targets: &[PathBuf], jdk: &crate::toolchain::jdk::Jdk) -> Result<()> {
    const COMPACT_JDK: u32 = 25;
    if jdk.feature() >= COMPACT_JDK {
        return Ok(());
    }
    for target in targets {
        if let Some(file) = tree.file(target).filter(|f| f.declarations.is_compact) {
            return Err(usage(format!(
                "{} is a compact source file (methods outside any class), which needs JDK {COMPACT_JDK} or newer; \
                 the selected JDK is {} ({}). {}",
                tree.root.join(&file.relative).display(),
                jdk.version,
                jdk.javac.display(),
                crate::toolchain::java::newer_jdk_advice(COMPACT_JDK, "put the methods in a class")
            )));
        }
    }
    Ok(())
}

/// Moves javac's output into `classes/`, removes class files jbuild wrote
/// earlier whose source is gone (or no longer produces them), and saves the
/// new record.
fn install_outputs(
    ctx: &Context,
    tree: &SourceTree,
    old: BuildRecord,
    sources: BTreeMap<String, SourceState>,
    settings: String,
    targets: &[PathBuf],
    staging: &Path,
) -> Result<()> {
    let classes = &ctx.project.classes;
    let owner_of = class_owners(tree);
    let fallback_owner = key_of(&targets[0]);
    let mut written: BTreeMap<String, BTreeMap<String, OutputFile>> = BTreeMap::new();
    for entry in WalkDir::new(staging).min_depth(1) {
        let entry = entry.with_context(|| format!("reading {}", staging.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(staging).expect("walk stays under its root");
        let destination = classes.join(relative);
        create_real_folders(classes, relative.parent().unwrap_or(Path::new("")))?;
        let output = OutputFile { size: entry.metadata()?.len(), hash: hash_file(entry.path())? };
        std::fs::rename(entry.path(), &destination).with_context(|| format!("writing {}", destination.display()))?;
        let key = key_of(relative);
        let owner = owner_of.get(&top_level_class(&key)).cloned().unwrap_or_else(|| fallback_owner.clone());
        written.entry(owner).or_default().insert(key, output);
    }

    let unchanged_tree = old.settings == settings && record::same_contents(&old.sources, &sources);
    let mut record = BuildRecord {
        settings,
        entries: if unchanged_tree { old.entries.clone() } else { BTreeSet::new() },
        outputs: old.outputs.clone(),
        resources: old.resources.clone(),
        sources,
        ..BuildRecord::default()
    };
    record.entries.extend(targets.iter().map(|t| key_of(t)));
    record.entries.extend(written.keys().cloned());

    // Outputs of the old record that no source produces any more. A class
    // file javac just rewrote is the new output, never stale.
    let mut stale: BTreeMap<String, OutputFile> = BTreeMap::new();
    for (source, classes_now) in written {
        if let Some(before) = record.outputs.remove(&source) {
            stale.extend(before.into_iter().filter(|(class, _)| !classes_now.contains_key(class)));
        }
        record.outputs.insert(source, classes_now);
    }
    let gone: Vec<String> = record.outputs.keys().filter(|s| !record.sources.contains_key(*s)).cloned().collect();
    for source in gone {
        stale.extend(record.outputs.remove(&source).unwrap_or_default());
        record.entries.remove(&source);
    }
    let still_owned: BTreeSet<&String> = record.outputs.values().flat_map(BTreeMap::keys).collect();
    stale.retain(|class, _| !still_owned.contains(class));
    let removal = remove_owned(classes, &stale)?;
    if removal.removed > 0 {
        ctx.status.line("Removed", format_args!("{}", count(removal.removed, "stale class file")));
    }
    if !removal.kept.is_empty() {
        ctx.status.warning(format_args!(
            "left {} in place: changed since jbuild wrote {} (jbuild deletes only its own files)",
            removal.kept.join(", "),
            if removal.kept.len() == 1 { "it" } else { "them" }
        ));
    }
    record.save(classes)
}

/// Maps each top-level class file stem (`sample01/Number`) to its source key.
fn class_owners(tree: &SourceTree) -> BTreeMap<String, String> {
    tree.classes().into_iter().map(|c| (c.name.replace('.', "/"), key_of(&c.file))).collect()
}

/// `sample01/Outer$Inner.class` → `sample01/Outer`.
fn top_level_class(class_file: &str) -> String {
    let stem = class_file.strip_suffix(".class").unwrap_or(class_file);
    let (dir, name) = stem.rsplit_once('/').map_or(("", stem), |(d, n)| (d, n));
    let top = name.split('$').next().unwrap_or(name);
    if dir.is_empty() { top.to_owned() } else { format!("{dir}/{top}") }
}

/// `sample01/Main.java` → `sample01.Main`, the way users name classes
/// (the path taken from the file's source root).
fn class_label(project: &Project, file: &Path) -> String {
    let path = project.src.join(file);
    let in_root = project.root_of(file).and_then(|root| path.strip_prefix(root).ok()).unwrap_or(file);
    key_of(&in_root.with_extension("")).replace('/', ".")
}

/// Everything besides the sources that decides what javac produces.
fn settings_fingerprint(ctx: &Context) -> Result<String> {
    let jdk = ctx.jdk()?;
    let settings = &ctx.project.settings;
    let mut jars = Vec::new();
    for jar in ctx.project.jars()? {
        jars.push((jar.display().to_string(), hash_file(&jar)?));
    }
    let roots: Vec<String> = ctx.project.source_roots().iter().map(|root| ctx.project.shown(root)).collect();
    let identity = serde_json::json!({
        "javac": jdk.javac, "version": jdk.version, "release": settings.release,
        "encoding": settings.encoding, "javac_args": settings.javac_args, "jars": jars,
        "sourcepath": roots,
    });
    Ok(blake3::hash(identity.to_string().as_bytes()).to_hex().to_string())
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{relative_path, top_level_class};

    #[test]
    fn relative_paths_from_where_the_user_stands() {
        let rel = |base: &str, path: &str| relative_path(Path::new(base), Path::new(path));
        assert_eq!(rel("/p", "/p/src/a/B.java"), PathBuf::from("src/a/B.java"));
        assert_eq!(rel("/p/src", "/p/src/a/B.java"), PathBuf::from("a/B.java"));
        assert_eq!(rel("/p/src", "/p/src"), PathBuf::from("."));
        assert_eq!(rel("/p/classes", "/p/src/a/B.java"), PathBuf::from("../src/a/B.java"));
        assert_eq!(rel("/q", "/p/src"), PathBuf::from("../p/src"));
    }

    #[test]
    fn inner_and_anonymous_classes_belong_to_their_top_level_class() {
        assert_eq!(top_level_class("sample01/Outer$Inner.class"), "sample01/Outer");
        assert_eq!(top_level_class("sample01/Outer$1.class"), "sample01/Outer");
        assert_eq!(top_level_class("Main.class"), "Main");
    }
}
