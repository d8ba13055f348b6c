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
pub mod source_set;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use walkdir::WalkDir;

use self::lock::{OutputLock, STAGING_PREFIX};
use self::outputs::{create_real_folders, remove_owned};
use self::record::{BuildRecord, OutputFile, SourceState, hash_file, key_of};
use self::source_set::{SetFile, SetKind, SourceSet};
use crate::context::Context;
use crate::error::usage;
use crate::project::Project;
use crate::scanner::{SourceListing, SourceTree};
use crate::term::count;
use crate::toolchain::javac::Javac;
use crate::toolchain::process::ToolCommand;

/// Options for a cold javac's own JVM (measured in the README): javac runs
/// for seconds at most, and C2 compiling javac's hot code costs more than it
/// saves then; C1 with one compiler thread and the serial collector make a
/// small compile about 25% and a 500-class compile about 40% faster, with
/// less than half the CPU time. They do not change what javac produces.
pub const JAVAC_JVM_OPTIONS: [&str; 3] = ["-J-XX:TieredStopAtLevel=1", "-J-XX:CICompilerCount=1", "-J-XX:+UseSerialGC"];

/// What to compile.
#[derive(Debug, Clone)]
pub enum Request {
    /// Every source of the set, in one javac call.
    WholeTree,
    /// These sources (relative to the set's base: `src/` for the main set)
    /// and whatever they use.
    Files(Vec<PathBuf>),
}

/// Compiles `request` of the main sources unless the record says its
/// classes are current. Returns whether javac ran.
pub fn build(ctx: &Context, request: &Request, javac: &mut Javac) -> Result<bool> {
    build_set(ctx, &SourceSet::main(&ctx.project)?, request, javac)
}

/// Compiles `request` of `set` unless its record says the classes are
/// current. Returns whether javac ran.
pub fn build_set(ctx: &Context, set: &SourceSet, request: &Request, javac: &mut Javac) -> Result<bool> {
    let project = &ctx.project;
    if set.kind == SetKind::Main {
        project.check_dependencies()?;
        if !project.explanation.strays.is_empty() {
            let strays: Vec<String> = project.explanation.strays.iter().map(|s| project.shown(s)).collect();
            ctx.status.warning(format_args!(
                "not compiling {}: outside the source roots ({}); `jbuild doctor` says more",
                strays.join(", "),
                project.source_roots().iter().map(|r| project.shown(r)).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    for warning in &set.warnings {
        ctx.status.warning(warning);
    }
    if matches!(request, Request::WholeTree) && !set.has_candidates() {
        return Err(usage(format!("no .java files under {}", set.shown_roots(project))));
    }

    set.create_output(project)?;
    // The set compiled against comes first: both locks are always taken in
    // this order.
    let upstream_lock = match &set.upstream {
        Some(upstream) => Some(OutputLock::acquire(upstream, || {
            ctx.status.line("Blocking", "waiting for another jbuild to finish with the output folder")
        })?),
        None => None,
    };
    let lock = OutputLock::acquire(&set.output, || {
        ctx.status.line("Blocking", "waiting for another jbuild to finish with the output folder")
    })?;
    lock.remove_leftover_staging(&set.output);
    let jdk = ctx.jdk()?;
    let (mut record, untrusted) = BuildRecord::load(&set.output);
    if let Some(why) = untrusted {
        ctx.status.warning(why);
    }
    // Resources (src/main/resources) are copied into the main output folder.
    let resources_changed = match set.kind {
        SetKind::Main => resources::sync(
            &project.resource_roots(),
            &project.source_roots_with_resources(),
            &set.output,
            &mut record,
            &ctx.status,
        )?,
        SetKind::Tests => false,
    };
    if resources_changed {
        // Recorded now, whatever javac says next: a copy jbuild made is
        // jbuild's to update and to remove even when this compile fails.
        record.save(&set.output)?;
    }
    let upstream_record = set.upstream.as_ref().map(|upstream| BuildRecord::load(upstream).0);
    let files = set.files(upstream_record.as_ref().unwrap_or(&record))?;
    let targets = match request {
        Request::WholeTree if files.is_empty() && set.kind == SetKind::Main => {
            // Only test classes in src/: nothing of the main set to compile.
            ctx.status
                .line("Skipping", format_args!("the main build: {} holds only test classes", project.src.display()));
            return Ok(false);
        }
        Request::WholeTree if files.is_empty() => {
            return Err(usage(format!("no .java files under {}", set.shown_roots(project))));
        }
        Request::WholeTree => files.iter().map(|f| f.path.clone()).collect(),
        Request::Files(targets) => targets.clone(),
    };
    let label = match request {
        Request::Files(targets) if targets.len() == 1 && set.kind == SetKind::Main => class_label(project, &targets[0]),
        Request::Files(targets) if targets.len() == 1 => {
            let file = files.iter().find(|f| f.path == targets[0]);
            relative_label(file.map_or(&targets[0], |f| &f.relative))
        }
        _ => count(targets.len(), set.noun()),
    };
    let label = match javac.shared_cwd().map(|cwd| project.root.strip_prefix(cwd).unwrap_or(&project.root)) {
        // One worker, many projects: say which project each line is about.
        Some(name) if !name.as_os_str().is_empty() => format!("{}: {label}", name.display()),
        _ => label,
    };
    let target_keys: Vec<String> = targets.iter().map(|t| key_of(t)).collect();
    let settings = settings_fingerprint(ctx, set, upstream_record.as_ref())?;
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    let sources = record.current_sources(&set.base, &paths)?;
    if record.is_fresh(&settings, &sources, &target_keys, &set.output) {
        ctx.status.line("Fresh", &label);
        if record.sources != sources || resources_changed {
            // Touched but unchanged files: remember the new mtimes so the
            // next check does not hash them again.
            BuildRecord { sources, ..record }.save(&set.output)?;
        }
        return Ok(false);
    }

    let trees = scan(set, &files);
    check_packages(project, set, &trees, &files, &targets)?;
    check_compact_files(&trees, &files, &targets, jdk)?;

    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(BuildRecord::dir(&set.output))
        .context("creating a staging folder")?;
    let mut command = javac_command(ctx, set, staging.path(), &targets, javac.shared_cwd())?;
    let warm = if javac.is_warm() { ", warm" } else { "" };
    ctx.status.line("Compiling", format_args!("{label} (javac {}{warm})", jdk.version));
    ctx.status.command(&command.display_with_cwd(), if javac.is_warm() { " in the warm worker" } else { "" });
    let run = javac.run(jdk, &ctx.status, &mut command, staging.path())?;
    if !run.success {
        let mut diagnostics = run.diagnostics;
        // javac takes a UTF-8 byte order mark (some Windows editors write
        // one) for a character of the code: "illegal character: '\ufeff'".
        let with_bom: Vec<String> = files
            .iter()
            .map(|f| f.root.join(&f.relative))
            .filter(|path| starts_with_bom(path))
            .map(|path| ctx.display_path(&path))
            .collect();
        if !with_bom.is_empty() {
            let hint = format!(
                "{} {} with a byte order mark (BOM), which javac refuses: save as UTF-8 without BOM",
                with_bom.join(", "),
                if with_bom.len() == 1 { "starts" } else { "start" }
            );
            ctx.status.line("Hint", &hint);
            diagnostics.extend_from_slice(format!("hint: {hint}\n").as_bytes());
        }
        // Sources saved by older Windows editors (Windows-1252, ISO-8859-1)
        // are not UTF-8: "unmappable character (0xE7) for encoding UTF-8".
        let encoding = &project.settings.encoding;
        let utf8 = encoding.eq_ignore_ascii_case("UTF-8") || encoding.eq_ignore_ascii_case("UTF8");
        if utf8 {
            let not_utf8: Vec<String> = files
                .iter()
                .map(|f| f.root.join(&f.relative))
                .filter(|path| !is_utf8_file(path))
                .map(|path| ctx.display_path(&path))
                .collect();
            if let Some(first) = not_utf8.first() {
                let first = crate::term::shell_quote(std::ffi::OsStr::new(first));
                let temp = crate::term::shell_quote(std::ffi::OsStr::new(&format!("{}.utf8", not_utf8[0])));
                let hint = format!(
                    "{} {} not UTF-8 (older Windows editors saved Windows-1252): convert with \
                     `iconv -f windows-1252 -t utf-8 {first} -o {temp} && mv {temp} {first}`, or set \
                     `encoding = \"windows-1252\"` in jbuild.toml if every source uses it",
                    not_utf8.join(", "),
                    if not_utf8.len() == 1 { "is" } else { "are" }
                );
                ctx.status.line("Hint", &hint);
                diagnostics.extend_from_slice(format!("hint: {hint}\n").as_bytes());
            }
        }
        return Err(CompileFailed { label, code: run.code, diagnostics }.into());
    }
    install_outputs(ctx, set, &trees, &files, record, sources, settings, &targets, staging.path())?;
    drop(lock);
    drop(upstream_lock);
    Ok(true)
}

/// The set's files scanned, one tree per source root.
fn scan(set: &SourceSet, files: &[SetFile]) -> Vec<SourceTree> {
    let mut trees = Vec::new();
    for root in set.roots.iter().chain(std::iter::once(&set.base)).chain(files.iter().map(|f| &f.root)) {
        if trees.iter().any(|t: &SourceTree| &t.root == root) {
            continue;
        }
        let mine: Vec<PathBuf> = files.iter().filter(|f| &f.root == root).map(|f| f.relative.clone()).collect();
        if !mine.is_empty() {
            trees.push(SourceTree::from_listing(
                root,
                SourceListing { files: mine, ..Default::default() },
                &Default::default(),
            ));
        }
    }
    trees
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
fn javac_command(
    ctx: &Context,
    set: &SourceSet,
    out: &Path,
    targets: &[PathBuf],
    shared_cwd: Option<&Path>,
) -> Result<ToolCommand> {
    let settings = &ctx.project.settings;
    let cwd = shared_cwd.unwrap_or(&ctx.cwd);
    let mut javac = ToolCommand::jdk_tool(&ctx.jdk()?.javac);
    javac.current_dir(cwd);
    javac.launcher_args(JAVAC_JVM_OPTIONS);
    javac.arg("-d").arg(out);
    // The staging folder doubles as an empty classpath: javac then finds no
    // stray class files (not even in src/) and compiles everything it uses
    // from source, like the script did.
    let mut classpath = vec![out.to_path_buf()];
    if set.see_own_output {
        classpath.push(set.output.clone());
    }
    classpath.extend(set.classpath.iter().cloned());
    javac.arg("-classpath").arg(std::env::join_paths(&classpath).context("joining the classpath")?);
    let sourcepath: Vec<PathBuf> = set.roots.iter().map(|root| javac_path(cwd, root)).collect();
    javac.arg("-sourcepath").arg(std::env::join_paths(&sourcepath).context("joining the source path")?);
    javac.arg("-encoding").arg(&settings.encoding);
    if let Some(release) = settings.release {
        javac.arg("--release").arg(release.to_string());
    }
    // No annotation processor found on the class path runs unasked (a jar in
    // a student's lib/ would run its code as the teacher at compile time,
    // outside the box graded programs run in): JDK 23 and later do the same.
    // `javac-args` that name processors or `-proc:` decide for themselves.
    let asks_for_processing = settings.javac_args.iter().any(|arg| {
        arg.starts_with("-proc:")
            || matches!(arg.as_str(), "-processor" | "-processorpath" | "--processor-path")
            || arg.starts_with("--processor-module-path")
    });
    if !asks_for_processing {
        javac.arg("-proc:none");
    }
    javac.args(&settings.javac_args);
    javac.args(targets.iter().map(|t| javac_path(cwd, &set.base.join(t))));
    Ok(javac)
}

/// Whether the file (read up to 16 MiB) is valid UTF-8.
pub fn is_utf8_file(path: &Path) -> bool {
    use std::io::Read;
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(16 << 20).read_to_end(&mut bytes));
    read.is_err() || std::str::from_utf8(&bytes).is_ok()
}

/// Whether the file begins with UTF-8's byte order mark.
pub fn starts_with_bom(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 3];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && head == [0xEF, 0xBB, 0xBF]
}

/// [`relative_path`] as javac must get it: a path starting with `@` (a
/// folder named `@home`) would be read as an argument file, so it gets `./`.
fn javac_path(cwd: &Path, path: &Path) -> PathBuf {
    let relative = relative_path(cwd, path);
    if relative.as_os_str().as_encoded_bytes().starts_with(b"@") { Path::new(".").join(relative) } else { relative }
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
fn check_packages(
    project: &Project,
    set: &SourceSet,
    trees: &[SourceTree],
    files: &[SetFile],
    targets: &[PathBuf],
) -> Result<()> {
    for target in targets {
        let Some(set_file) = files.iter().find(|f| &f.path == target) else { continue };
        let Some(tree) = trees.iter().find(|t| t.root == set_file.root) else { continue };
        let Some(file) = tree.file(&set_file.relative) else { continue };
        // The main set's files are relative to the project's base, which
        // knows every source root; a test root is a root of its own.
        let problem = match set.kind {
            SetKind::Main => project.package_problem(file),
            SetKind::Tests => file.package_mismatch().map(|(declared, expected)| {
                let declared =
                    declared.map_or("no package (the unnamed package)".to_owned(), |p| format!("`package {p};`"));
                let expected = expected.map_or("no package declaration".to_owned(), |p| format!("`package {p};`"));
                format!(
                    "{}: declares {declared}, but its folder means {expected}; move the file or fix its package line",
                    project.shown(&tree.root.join(&file.relative))
                )
            }),
        };
        if let Some(message) = problem {
            bail!(message);
        }
    }
    Ok(())
}

/// Refuses a JDK 25 compact source file (top-level methods) when the JDK
/// cannot compile it, before javac says "class, interface, enum, or record
/// expected".
fn check_compact_files(
    trees: &[SourceTree],
    files: &[SetFile],
    targets: &[PathBuf],
    jdk: &crate::toolchain::jdk::Jdk,
) -> Result<()> {
    const COMPACT_JDK: u32 = 25;
    if jdk.feature() >= COMPACT_JDK {
        return Ok(());
    }
    for target in targets {
        let Some(set_file) = files.iter().find(|f| &f.path == target) else { continue };
        let Some(tree) = trees.iter().find(|t| t.root == set_file.root) else { continue };
        if let Some(file) = tree.file(&set_file.relative).filter(|f| f.declarations.is_compact) {
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

/// Moves javac's output into the set's output folder, removes class files
/// jbuild wrote earlier whose source is gone (or no longer produces them),
/// and saves the new record.
#[allow(clippy::too_many_arguments)]
fn install_outputs(
    ctx: &Context,
    set: &SourceSet,
    trees: &[SourceTree],
    files: &[SetFile],
    old: BuildRecord,
    sources: BTreeMap<String, SourceState>,
    settings: String,
    targets: &[PathBuf],
    staging: &Path,
) -> Result<()> {
    let classes = &set.output;
    let owner_of = class_owners(trees, files);
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
fn class_owners(trees: &[SourceTree], files: &[SetFile]) -> BTreeMap<String, String> {
    let mut owners = BTreeMap::new();
    let key = |root: &Path, file: &Path| {
        files.iter().find(|f| f.root == root && f.relative == file).map_or_else(|| key_of(file), |f| f.key.clone())
    };
    for tree in trees {
        for class in tree.classes() {
            owners.insert(class.name.replace('.', "/"), key(&tree.root, &class.file));
        }
        // `module-info.class` and `pkg/package-info.class` come from the
        // file of that name (they declare no class the scanner lists).
        for file in &tree.files {
            let stem = file.relative.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            if matches!(stem, "module-info" | "package-info") {
                let class = file.relative.with_extension("");
                owners.insert(key_of(&class), key(&tree.root, &file.relative));
            }
        }
    }
    owners
}

/// `sample01/Outer$Inner.class` → `sample01/Outer`.
fn top_level_class(class_file: &str) -> String {
    let stem = class_file.strip_suffix(".class").unwrap_or(class_file);
    let (dir, name) = stem.rsplit_once('/').map_or(("", stem), |(d, n)| (d, n));
    let top = name.split('$').next().unwrap_or(name);
    if dir.is_empty() { top.to_owned() } else { format!("{dir}/{top}") }
}

/// `calc/CalcTest.java` → `calc.CalcTest`, a path relative to its root.
fn relative_label(file: &Path) -> String {
    key_of(&file.with_extension("")).replace('/', ".")
}

/// `sample01/Main.java` → `sample01.Main`, the way users name classes
/// (the path taken from the file's source root).
fn class_label(project: &Project, file: &Path) -> String {
    let path = project.src.join(file);
    let in_root = project.root_of(file).and_then(|root| path.strip_prefix(root).ok()).unwrap_or(file);
    key_of(&in_root.with_extension("")).replace('/', ".")
}

/// Everything besides the sources that decides what javac produces: for the
/// test set also the jars it compiles against and the main classes (the
/// upstream record's outputs).
fn settings_fingerprint(ctx: &Context, set: &SourceSet, upstream: Option<&BuildRecord>) -> Result<String> {
    let jdk = ctx.jdk()?;
    let settings = &ctx.project.settings;
    let mut jars = Vec::new();
    let jar_files = match set.kind {
        SetKind::Main => ctx.project.jars()?,
        SetKind::Tests => set.classpath.iter().filter(|p| p.is_file()).cloned().collect(),
    };
    for jar in jar_files {
        jars.push((jar.display().to_string(), hash_file(&jar)?));
    }
    let roots: Vec<String> = set.roots.iter().map(|root| ctx.project.shown(root)).collect();
    let mut identity = serde_json::json!({
        "javac": jdk.javac, "version": jdk.version, "release": settings.release,
        "encoding": settings.encoding, "javac_args": settings.javac_args, "jars": jars,
        "sourcepath": roots,
    });
    if set.kind == SetKind::Tests {
        identity["set"] = "tests".into();
        identity["roots"] = serde_json::json!(set.roots);
        identity["upstream"] = serde_json::json!(upstream.map(|record| &record.outputs));
    }
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
