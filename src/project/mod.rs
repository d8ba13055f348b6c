//! The project model: discovery, layout (the root, the source roots, the
//! output folder and the jars), settings, and what a target names.
//!
//! Every value is taken from the first of: a flag, `jbuild.toml`, an IDE's
//! project file (`ide`), Maven's folders and the files' package lines
//! (`layout`), jbuild's default; [`Explanation`] says which, for `-v` and
//! `jbuild doctor`.

pub mod build_tool;
pub mod ide;
pub mod java_level;
pub mod layout;
pub mod settings;
pub mod target;
pub mod test_sources;

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use self::build_tool::BuildFile;
use self::layout::{RootKind, RootsNamedBy, SourceRoot, Walked, maven_roots};
use self::settings::{SETTINGS_FILE, Settings, SettingsFile, SettingsOverrides};
use crate::error::usage;
use crate::scanner::{SourceFile, SourceListing, SourceTree, list_sources};

/// A discovered project with its settings resolved to absolute paths.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    /// Where javac runs and what source paths (targets, the build record's
    /// keys) are relative to: the main source root when there is one, else
    /// the project root.
    pub src: PathBuf,
    /// Main, test and resource roots, with why each is one.
    pub roots: Vec<SourceRoot>,
    pub classes: PathBuf,
    /// The jar folder, when it exists.
    pub lib: Option<PathBuf>,
    /// Jars besides `lib/`, with the file that names each (an IDE's, or the build file).
    pub extra_jars: Vec<(PathBuf, String)>,
    pub settings: Settings,
    /// `pom.xml` or `build.gradle(.kts)`, when there is one jbuild could read.
    pub build_file: Option<BuildFile>,
    /// The Java version the build file or the IDE's project says the code is
    /// written for (a preference when selecting the JDK).
    pub java_level: Option<java_level::JavaLevel>,
    pub explanation: Explanation,
    /// The source folder's walk when finding the roots needed one.
    walked: Option<Walked>,
    /// Files an IDE's source folder leaves out, by folder.
    excluded: Vec<(PathBuf, Vec<regex::Regex>)>,
}

/// How each part of the layout was decided.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Explanation {
    /// Why the root is the root: "it has a src/ folder", "--project".
    pub found: String,
    /// Where the output folder comes from.
    pub output: String,
    /// Who named the source roots, when someone did.
    #[serde(skip)]
    pub roots_named_by: Option<RootsNamedBy>,
    /// The IDE file whose layout is used.
    pub ide_file: Option<String>,
    /// What jbuild noticed and did not use, one line each.
    pub notes: Vec<String>,
    /// `.java` files found outside every source root (not compiled).
    pub strays: Vec<PathBuf>,
}

impl Project {
    /// Finds the project for `start` (the current folder, or `--project DIR`)
    /// and loads its settings and layout.
    pub fn load(start: &Path, explicit: bool, flags: &SettingsOverrides) -> Result<Project> {
        Self::load_with(start, explicit, flags, false)
    }

    /// [`Project::load`]; `keep_sources`: the caller will scan every source,
    /// so the files read whole while finding the roots are kept for it.
    pub fn load_with(start: &Path, explicit: bool, flags: &SettingsOverrides, keep_sources: bool) -> Result<Project> {
        let (root, found) = if explicit {
            if !start.is_dir() {
                return Err(usage(format!("--project {}: no such folder", start.display())));
            }
            (start.to_path_buf(), "named with --project".to_owned())
        } else {
            discover_why(start)?
        };
        let root = normalize(&std::path::absolute(&root).with_context(|| format!("resolving {}", root.display()))?);
        let file = SettingsFile::load(&root)?;
        let settings_path = root.join(SETTINGS_FILE);
        let mut explanation = Explanation { found, ..Explanation::default() };
        let ide_files = ide::read(&root);
        explanation.notes.extend(ide_files.notes);
        let ide = ide_files.used;
        if let Some(ide) = &ide {
            explanation.ide_file = Some(ide.file.clone());
            explanation.notes.extend(ide.notes.iter().cloned());
        }
        let build_file = match build_tool::read(&root) {
            Some(Ok(build)) => {
                explanation.notes.extend(build.notes.iter().cloned());
                Some(build)
            }
            Some(Err(note)) => {
                explanation.notes.push(note);
                None
            }
            None => None,
        };

        // The output folder first: finding the roots must not read it.
        let named_classes = flags.classes.clone().map(|c| (c, "--classes".to_owned()));
        let named_classes =
            named_classes.or_else(|| file.classes.clone().map(|c| (c, format!("`classes` in {SETTINGS_FILE}"))));
        let mut classes_from_ide = None;
        let (mut classes_setting, output_why) = match named_classes {
            Some(named) => named,
            None => match ide.as_ref().and_then(|ide| Some((ide.output.clone()?, &ide.file))) {
                Some((output, ide_file)) => {
                    classes_from_ide = Some(ide_file.clone());
                    (relative_or_absolute(&root, &output), format!("{ide_file}, shared with the IDE"))
                }
                None => (PathBuf::from("classes"), "jbuild's default".to_owned()),
            },
        };
        let mut classes = normalize(&root.join(&classes_setting));
        explanation.output = output_why;
        if is_classroom_only(&root) {
            explanation.output.push_str("; `check` writes none here: Classroom's tests compile themselves");
        }

        let (roots, named_by, strays, walked) = source_roots(&root, flags, &file, ide.as_ref(), &classes, keep_sources);
        let mains: Vec<&Path> = roots.iter().filter(|r| r.kind == RootKind::Main).map(|r| r.path.as_path()).collect();
        let base = if let [only] = mains.as_slice() { only.to_path_buf() } else { root.clone() };
        let default_src = relative_or_absolute(&root, &base);
        let mut settings = Settings::merge(file, flags, &settings_path, &default_src)?;
        explanation.roots_named_by = Some(named_by);
        explanation.strays = strays;
        if !base.is_dir() {
            return Err(usage(format!(
                "{} has no source folder {}/ (set `src` in {} or pass --src)",
                root.display(),
                settings.src.display(),
                SETTINGS_FILE
            )));
        }
        if let Some(ide_file) = classes_from_ide {
            // An output folder the IDE names but jbuild must not write to
            // (the sources' own folder) is the IDE's business: use jbuild's.
            if let Err(why) = check_output_folder(&root, &roots, &classes, false) {
                explanation.notes.push(format!("not sharing the output folder of {ide_file}: {why}"));
                classes_setting = PathBuf::from("classes");
                classes = root.join("classes");
                explanation.output = "jbuild's default".to_owned();
            }
            settings.classes = classes_setting.clone();
        }
        // Only a flag may send jbuild outside the project: a repository's
        // jbuild.toml is not trusted to (another student's sources, a
        // folder to write class files into).
        check_output_folder(&root, &roots, &classes, flags.classes.is_some())
            .map_err(|why| usage(format!("setting `classes` ({}): {why}", classes_setting.display())))?;
        check_roots_inside(&root, &roots, &settings, flags.src.is_some())?;
        let lib = match &settings.lib {
            Some(lib) => {
                let lib = root.join(lib);
                if !lib.is_dir() {
                    return Err(usage(format!("setting `lib`: {} is not a folder", lib.display())));
                }
                if flags.lib.is_none() && !is_inside(&root, &lib) {
                    return Err(usage(format!(
                        "setting `lib` in {SETTINGS_FILE}: {} is outside the project {}; pass --lib to use it",
                        lib.display(),
                        root.display()
                    )));
                }
                Some(lib)
            }
            None => Some(root.join("lib")).filter(|lib| lib.is_dir()),
        };
        let mut extra_jars = Vec::new();
        if settings.lib.is_none() {
            // A `lib` setting names the jars; without one, the IDE's and the build file's count too.
            let from_ide = ide.iter().flat_map(|ide| ide.jars.iter().map(|jar| (jar.clone(), ide.file.clone())));
            let from_build = build_file.iter().flat_map(|b| b.jars.iter().map(|jar| (jar.clone(), b.file.clone())));
            for (jar, origin) in from_ide.chain(from_build) {
                if !extra_jars.iter().any(|(known, _)| known == &jar) {
                    extra_jars.push((jar, origin));
                }
            }
        }
        // The IDE's exclusions count only where its source folders are used.
        let ide_roots = matches!(explanation.roots_named_by, Some(RootsNamedBy::Ide(_)));
        let excluded = ide
            .iter()
            .filter(|_| ide_roots)
            .flat_map(|ide| ide.excluding.iter())
            .map(|(folder, patterns)| {
                (folder.clone(), patterns.iter().filter_map(|p| layout::exclusion_pattern(p)).collect())
            })
            .collect();
        let java_level = build_file
            .as_ref()
            .and_then(|b| b.java_level.clone())
            .or_else(|| ide.as_ref().and_then(|ide| ide.java_level.clone()));
        Ok(Project {
            classes,
            root,
            src: base,
            roots,
            lib,
            extra_jars,
            settings,
            build_file,
            java_level,
            explanation,
            walked,
            excluded,
        })
    }

    /// The main source roots: `javac -sourcepath`.
    pub fn source_roots(&self) -> Vec<&Path> {
        self.roots_of(RootKind::Main)
    }

    /// Test source roots (`src/test/java`, an IDE's test folders): not part
    /// of the main build.
    pub fn test_roots(&self) -> Vec<&Path> {
        self.roots_of(RootKind::Test)
    }

    /// Folders whose files are copied into the output folder as they are.
    pub fn resource_roots(&self) -> Vec<&Path> {
        self.roots_of(RootKind::Resources)
    }

    /// Main source roots whose other files (images, data, `.properties`) are
    /// copied into the output folder beside the classes, as Eclipse,
    /// IntelliJ and VS Code do: not under Maven or Gradle, which copy only
    /// their resource folders, and not a root that is the project folder
    /// itself (its README and tests are no resources).
    /// Returns each such root with its files (relative to it) that are not
    /// `.java` files, from the walk that found the roots when there was one.
    pub fn source_roots_with_resources(&self) -> Vec<(&Path, Vec<PathBuf>)> {
        if self.build_file.is_some() {
            return Vec::new();
        }
        self.roots
            .iter()
            .filter(|r| r.kind == RootKind::Main && r.path != self.root && r.why != layout::MAVEN_WHY)
            .map(|r| {
                let files = match &self.walked {
                    Some(walked) if r.path.starts_with(&walked.folder) => walked.others_under(&r.path),
                    _ => list_sources(&r.path, &self.root).others,
                };
                (r.path.as_path(), files)
            })
            .collect()
    }

    fn roots_of(&self, kind: RootKind) -> Vec<&Path> {
        self.roots.iter().filter(|r| r.kind == kind).map(|r| r.path.as_path()).collect()
    }

    /// The `.java` files of the main source roots, relative to [`Project::src`]:
    /// not counting any inside the output folder or inside a test or
    /// resource root, nor, in a root that is the project folder, in hidden
    /// folders.
    pub fn list_sources(&self) -> SourceListing {
        let mut listing = SourceListing::default();
        let mut walked_warnings = false;
        for root in self.source_roots() {
            let found = match &self.walked {
                Some(walked) if root.starts_with(&walked.folder) => {
                    let warnings = if walked_warnings { Vec::new() } else { walked.listing.warnings.clone() };
                    walked_warnings = true;
                    // Links out found anywhere in the walk count, in a root or not:
                    // javac's -sourcepath would not follow the ones in no root, but
                    // one is enough to say so.
                    let outside =
                        walked.listing.outside.iter().map(|(link, to)| (walked.folder.join(link), to.clone()));
                    SourceListing {
                        files: walked.under(root),
                        warnings,
                        outside: outside.collect(),
                        others: Vec::new(),
                    }
                }
                _ => {
                    let found = list_sources(root, &self.root);
                    let outside = found.outside.into_iter().map(|(link, to)| (root.join(link), to)).collect();
                    SourceListing { outside, ..found }
                }
            };
            listing.warnings.extend(found.warnings);
            for (path, to) in found.outside {
                let link = path.strip_prefix(&self.src).map_or(path.clone(), Path::to_path_buf);
                if !listing.outside.iter().any(|(known, _)| known == &link) {
                    listing.outside.push((link, to));
                }
            }
            for relative in found.files {
                let path = root.join(&relative);
                if !self.left_out(root, &relative) {
                    listing.files.push(path.strip_prefix(&self.src).map_or(path.clone(), Path::to_path_buf));
                }
            }
        }
        listing.files.sort();
        listing.files.dedup();
        listing
    }

    /// Whether a file (relative to [`Project::src`]) is one of the main
    /// sources [`Project::list_sources`] lists, without walking the tree.
    pub fn is_source(&self, relative: &Path) -> bool {
        let path = self.src.join(relative);
        self.root_of(relative)
            .is_some_and(|root| path.strip_prefix(root).is_ok_and(|inside| !self.left_out(root, inside)))
    }

    /// Whether the file `root/relative` is left out of the main sources: in
    /// the output folder, in a test or resource root, or hidden in a root
    /// that is the project folder.
    fn left_out(&self, root: &Path, relative: &Path) -> bool {
        let path = root.join(relative);
        let hidden = || relative.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        let excluded = || {
            self.excluded.iter().filter(|(folder, _)| folder == root).any(|(_, patterns)| {
                let text = relative.to_string_lossy();
                patterns.iter().any(|p| p.is_match(&text))
            })
        };
        excluded()
            || path.starts_with(&self.classes)
            || self.roots.iter().any(|other| {
                other.kind != RootKind::Main && path.starts_with(&other.path) && !root.starts_with(&other.path)
            })
            || (root == self.root && hidden())
    }

    /// The source tree, scanned (see [`Project::list_sources`]).
    pub fn scan(&self) -> SourceTree {
        let no_heads = Default::default();
        let heads = self.walked.as_ref().map_or(&no_heads, |walked| &walked.heads);
        SourceTree::from_listing(&self.src, self.list_sources(), heads)
    }

    /// The main root a source (relative to [`Project::src`]) lies in.
    pub fn root_of(&self, relative: &Path) -> Option<&Path> {
        let path = self.src.join(relative);
        self.source_roots().into_iter().filter(|root| path.starts_with(root)).max_by_key(|r| r.components().count())
    }

    /// What is wrong with a file's package line for the source roots, if
    /// anything, with the fix that keeps the other files as they are.
    pub fn package_problem(&self, file: &SourceFile) -> Option<String> {
        if file.declarations.is_module {
            return None;
        }
        let mut roots = self.source_roots();
        roots.extend(self.test_roots());
        let named_by = self.explanation.roots_named_by.clone().unwrap_or(RootsNamedBy::Nobody);
        let shown = |path: &Path| self.shown(path);
        let path = self.src.join(&file.relative);
        layout::package_problem(&path, file.declarations.package.as_deref(), &roots, &named_by, &shown)
    }

    /// The layout in a few lines (label, text), each value with where it
    /// comes from: what `jbuild -v` prints.
    pub fn layout_lines(&self) -> Vec<(&'static str, String)> {
        let mut lines = vec![("Project", format!("{} ({})", self.root.display(), self.explanation.found))];
        for root in &self.roots {
            let label = match root.kind {
                RootKind::Main => "Sources",
                RootKind::Test => "Tests",
                RootKind::Resources => "Resources",
            };
            lines.push((label, format!("{}/ ({})", self.shown(&root.path), root.why)));
        }
        lines.push(("Output", format!("{}/ ({})", self.shown(&self.classes), self.explanation.output)));
        if let Some(lib) = &self.lib {
            lines.push(("Jars", format!("{}/*.jar", self.shown(lib))));
        }
        for (jar, origin) in &self.extra_jars {
            lines.push(("Jars", format!("{} ({origin})", self.shown(jar))));
        }
        if let Some(build) = &self.build_file {
            let n = build.dependencies.len();
            let count = if n == 1 { "1 dependency".to_owned() } else { format!("{n} dependencies") };
            lines.push(("Build file", format!("{} ({count}; jbuild compiles without {})", build.file, build.tool)));
        }
        for note in &self.explanation.notes {
            lines.push(("Note", note.clone()));
        }
        lines
    }

    /// A path inside the project as the user sees it from the project root.
    pub fn shown(&self, path: &Path) -> String {
        crate::term::relative(&self.root, path)
    }

    /// Refuses to build a project whose build file needs jars jbuild cannot
    /// find (exit 2, naming them), before javac reports every missing package.
    pub fn check_dependencies(&self) -> Result<()> {
        let Some(build) = &self.build_file else { return Ok(()) };
        let missing = build.missing(&self.jars()?);
        if missing.is_empty() { Ok(()) } else { Err(usage(build.missing_message(&missing))) }
    }

    /// Jars in the lib folder, sorted so the classpath is deterministic,
    /// then those an IDE file or the build file names.
    pub fn jars(&self) -> Result<Vec<PathBuf>> {
        let mut jars = Vec::new();
        if let Some(lib) = &self.lib {
            // A lib folder inside the project may not lead out of it through a
            // link (a jar's classes and resources reach graded programs); one
            // the user named with --lib may be anywhere.
            let lib_inside = is_inside(&self.root, lib);
            for entry in std::fs::read_dir(lib).with_context(|| format!("reading {}", lib.display()))? {
                let path = entry.with_context(|| format!("reading {}", lib.display()))?.path();
                if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("jar")) {
                    if lib_inside && !is_inside(&self.root, &path) {
                        return Err(usage(format!(
                            "{} is a symbolic link to {}, outside the project {}; jbuild does not read files outside \
                             the project: copy the jar into lib/, or remove the link",
                            path.display(),
                            real_path(&path).display(),
                            self.root.display()
                        )));
                    }
                    jars.push(path);
                }
            }
            jars.sort();
        }
        for (jar, _) in &self.extra_jars {
            if !jars.contains(jar) {
                jars.push(jar.clone());
            }
        }
        Ok(jars)
    }
}

/// The roots, who named them, and the files outside them: from `--src` or
/// `src` (plus Maven's test and resource folders), else the IDE's source
/// folders, else inferred from Maven's folders and the package lines.
fn source_roots(
    root: &Path,
    flags: &SettingsOverrides,
    file: &SettingsFile,
    ide: Option<&ide::IdeLayout>,
    classes: &Path,
    keep_sources: bool,
) -> (Vec<SourceRoot>, RootsNamedBy, Vec<PathBuf>, Option<Walked>) {
    let named = match (&flags.src, &file.src) {
        (Some(src), _) => Some((src, RootsNamedBy::Flag, "--src".to_owned())),
        (None, Some(src)) => Some((src, RootsNamedBy::SettingsFile, format!("`src` in {SETTINGS_FILE}"))),
        (None, None) => None,
    };
    let mut known: Vec<SourceRoot> = Vec::new();
    if let Some(ide) = ide {
        let why = format!("{} names it", ide.file);
        known.extend(ide.tests.iter().map(|p| SourceRoot::new(p.clone(), RootKind::Test, why.clone())));
        known.extend(ide.resources.iter().map(|p| SourceRoot::new(p.clone(), RootKind::Resources, why.clone())));
    }
    if known.is_empty() {
        known = layout::drop_disowned_maven_roots(maven_roots(root));
    }
    if let Some((src, named_by, why)) = named {
        let main = SourceRoot::new(normalize(&root.join(src)), RootKind::Main, why);
        let mut roots: Vec<SourceRoot> = known.into_iter().filter(|r| r.kind != RootKind::Main).collect();
        roots.insert(0, main);
        return (roots, named_by, Vec::new(), None);
    }
    if let Some(ide) = ide.filter(|ide| !ide.sources.is_empty()) {
        let why = format!("{} names it", ide.file);
        let mut roots: Vec<SourceRoot> =
            ide.sources.iter().map(|p| SourceRoot::new(p.clone(), RootKind::Main, why.clone())).collect();
        roots.extend(known.into_iter().filter(|r| r.kind != RootKind::Main));
        return (roots, RootsNamedBy::Ide(ide.file.clone()), Vec::new(), None);
    }
    let scan = if root.join("src").is_dir() { root.join("src") } else { root.to_path_buf() };
    let inference = layout::infer(root, &scan, classes, known, keep_sources);
    (inference.roots, RootsNamedBy::Nobody, inference.strays, Some(inference.walked))
}

/// `path` relative to `root` when inside it (`.` for the root), else as is.
fn relative_or_absolute(root: &Path, path: &Path) -> PathBuf {
    match path.strip_prefix(root) {
        Ok(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// Walks up from `start`: a folder with `jbuild.toml` is the root; a folder
/// named `src` or `classes` whose parent has `src/` means the parent is the
/// root; a folder containing `src/`, GitHub Classroom tests, a build file
/// (`pom.xml`, `build.gradle`, `settings.gradle`) or Eclipse's `.classpath`
/// is the root.
pub fn discover(start: &Path) -> Result<PathBuf> {
    discover_why(start).map(|(root, _)| root)
}

/// [`discover`], with why the root is one.
pub fn discover_why(start: &Path) -> Result<(PathBuf, String)> {
    let start = std::path::absolute(start).with_context(|| format!("resolving {}", start.display()))?;
    for dir in start.ancestors() {
        // A shared temporary folder (`/tmp`) is nobody's project: a
        // jbuild.toml or src/ another user planted there must not capture
        // every jbuild run below it.
        if shared_temp_folder(dir) {
            continue;
        }
        if dir.join(SETTINGS_FILE).is_file() {
            return Ok((dir.to_path_buf(), format!("it has {SETTINGS_FILE}")));
        }
        let named_layout = dir.file_name().and_then(|n| n.to_str()).filter(|n| matches!(*n, "src" | "classes"));
        if let Some(name) = named_layout
            && let Some(parent) = dir.parent()
            && parent.join("src").is_dir()
        {
            return Ok((parent.to_path_buf(), format!("it has a src/ folder (found from its {name}/)")));
        }
        if dir.join("src").is_dir() {
            return Ok((dir.to_path_buf(), "it has a src/ folder".to_owned()));
        }
        if has_classroom_tests(dir) {
            return Ok((dir.to_path_buf(), "it has GitHub Classroom tests".to_owned()));
        }
        if let Some(marker) = PROJECT_MARKERS.iter().find(|m| dir.join(m).is_file()) {
            return Ok((dir.to_path_buf(), format!("it has {marker}")));
        }
        if let Some(ide_file) = ide::ide_project_file(dir) {
            return Ok((dir.to_path_buf(), format!("it has {ide_file}")));
        }
    }
    // Nothing marks a project above: Java files right here make one, rooted
    // where their package lines say (`Arithmetic/Main.java` declaring
    // `package Arithmetic;` is in the project above it).
    if has_java_files(&start) && shared_temp_folder(&start) {
        return Err(usage(format!(
            "{} is a shared temporary folder (anyone may write to it), so jbuild does not take it as a \
             project (other users' files would be compiled): put the project in a folder of your own",
            start.display()
        )));
    }
    if has_java_files(&start) {
        if let Some(root) = package_root_above(&start) {
            return Ok((root, format!("the package lines of {} put their source root there", start.display())));
        }
        return Ok((start, "it has .java files".to_owned()));
    }
    if packages_below(&start) {
        return Ok((start, "its package folders hold .java files".to_owned()));
    }
    Err(usage(format!(
        "no Java project found at {} or above it: jbuild looks for a folder with {SETTINGS_FILE}, a src/ folder, \
         GitHub Classroom tests (.github/classroom/autograding.json, .github/workflows/classroom.yml), \
         a build file (pom.xml, build.gradle), Eclipse's .classpath, VS Code's or IntelliJ's project settings \
         or .java files (run from the project, its src/ or classes/, or pass -C DIR)",
        start.display()
    )))
}

/// Files that make their folder a project root whatever its layout.
const PROJECT_MARKERS: [&str; 6] =
    ["pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", ".classpath"];

/// Files that make a folder a GitHub Classroom assignment.
pub const CLASSROOM_FILES: [&str; 2] = [".github/classroom/autograding.json", ".github/workflows/classroom.yml"];

/// Whether `dir` is graded by its GitHub Classroom tests alone: it has them,
/// and no jbuild.toml asks for jbuild's own cases too.
pub fn is_classroom_only(dir: &Path) -> bool {
    has_classroom_tests(dir) && !dir.join(SETTINGS_FILE).is_file()
}

/// Whether `dir` holds GitHub Classroom tests.
pub fn has_classroom_tests(dir: &Path) -> bool {
    CLASSROOM_FILES.iter().any(|file| dir.join(file).is_file())
}

/// The folder above `dir` that the package line of a `.java` file in `dir`
/// makes its source root, when that line names `dir`'s own folders.
fn package_root_above(dir: &Path) -> Option<PathBuf> {
    let file = java_files_in(dir).into_iter().next()?;
    let header = crate::scanner::read_header(&file).ok()?;
    layout::root_from_package(dir, &header).filter(|root| root != dir && dir.starts_with(root) && may_be_root(root))
}

/// Whether `dir` is a shared temporary folder (`/tmp`, `/var/tmp`,
/// `/dev/shm`): anyone may create files in it, and the sticky bit keeps them
/// each their owner's. (A folder its owner opened to everyone, say for
/// `--run-as`, is still the owner's project.)
fn shared_temp_folder(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).is_ok_and(|meta| meta.mode() & 0o1002 == 0o1002)
}

/// Whether a folder that only a package line points to may be a project
/// root: never `/`, the home folder, or a shared temporary folder (`/tmp`:
/// other users' files would be walked, and their `lib/` jars used).
fn may_be_root(dir: &Path) -> bool {
    let real = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let dir = real(dir);
    let home = crate::env::get().home.as_deref().map(real);
    dir.parent().is_some() && home.as_deref() != Some(dir.as_path()) && !shared_temp_folder(&dir)
}

/// Whether a folder right below `dir` holds `.java` files whose package is
/// that folder (`dir/Arithmetic/Main.java` declaring `package Arithmetic;`).
fn packages_below(dir: &Path) -> bool {
    if !may_be_root(dir) {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.filter_map(Result::ok).take(200).any(|entry| {
        let path = entry.path();
        let visible = entry.file_name().to_str().is_some_and(|name| !name.starts_with('.'));
        visible && entry.file_type().is_ok_and(|t| t.is_dir()) && package_root_above(&path).as_deref() == Some(dir)
    })
}

/// The `.java` files directly in `dir`, sorted.
fn java_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "java") && e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

/// Whether `dir` itself (not below it) holds `.java` files.
pub fn has_java_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            e.path().extension().is_some_and(|x| x == "java")
                && e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink())
        })
    })
}

/// jbuild deletes stale class files under the output folder and writes
/// there, so it must stay apart from every source root and inside the
/// project. Paths are compared normalised (`x/../src` is `src`) and with
/// symlinks resolved as far as they exist. `outside_allowed`: the folder
/// was named by a flag, which may put it outside the project.
fn check_output_folder(
    root: &Path,
    roots: &[SourceRoot],
    classes: &Path,
    outside_allowed: bool,
) -> std::result::Result<(), String> {
    let real_classes = real_path(classes);
    if !outside_allowed && !is_inside(root, classes) {
        return Err(format!(
            "{} is outside the project {}; pass --classes to write class files elsewhere",
            classes.display(),
            root.display()
        ));
    }
    for source in roots {
        let real_source = real_path(&source.path);
        let folder = match source.kind {
            RootKind::Main if roots.iter().filter(|r| r.kind == RootKind::Main).count() == 1 => "the source folder",
            RootKind::Main => "the source root",
            RootKind::Test => "the test source folder",
            RootKind::Resources => "the resource folder",
        };
        if real_classes == real_source {
            return Err(format!("the output folder is {folder} {}", source.path.display()));
        }
        if real_source.starts_with(&real_classes) {
            return Err(format!("the output folder contains {folder} {}", source.path.display()));
        }
    }
    Ok(())
}

/// Source roots stay inside the project unless `--src` named them.
fn check_roots_inside(root: &Path, roots: &[SourceRoot], settings: &Settings, outside_allowed: bool) -> Result<()> {
    for source in roots.iter().filter(|r| r.kind == RootKind::Main) {
        if !outside_allowed && !is_inside(root, &source.path) {
            return Err(usage(format!(
                "setting `src` ({}): {} is outside the project {}; pass --src to compile sources from elsewhere",
                settings.src.display(),
                source.path.display(),
                root.display()
            )));
        }
    }
    Ok(())
}

/// Whether `path` lies inside the project folder `root`, symlinks resolved
/// as far as they exist.
pub fn is_inside(root: &Path, path: &Path) -> bool {
    real_path(path).starts_with(real_path(root))
}

/// `path` with its longest existing prefix's symlinks resolved.
fn real_path(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.into_iter().rev().fold(real, |path, part: std::ffi::OsString| path.join(part));
        }
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Removes `.` and `..` lexically (`src/../x` is `x`), without touching
/// the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether `dir` is a project root: it has `jbuild.toml`, a `src/` folder,
/// GitHub Classroom tests, a build file or `.classpath`, or `.java` files of
/// its own beside a `tests/` or `test/` folder (a package folder alone is
/// not a project).
pub fn is_project_dir(dir: &Path) -> bool {
    dir.join(SETTINGS_FILE).is_file()
        || dir.join("src").is_dir()
        || has_classroom_tests(dir)
        || PROJECT_MARKERS.iter().any(|m| dir.join(m).is_file())
        || ide::ide_project_file(dir).is_some()
        || ((dir.join("tests").is_dir() || dir.join("test").is_dir()) && has_java_files(dir))
}

/// Project folders below `dir`, not looking inside a project once found,
/// nor into hidden or build folders.
pub fn projects_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir).min_depth(1).max_depth(6).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || matches!(name.as_ref(), "classes" | "target" | "build" | "node_modules" | "src") {
            walker.skip_current_dir();
            continue;
        }
        if is_project_dir(entry.path()) {
            found.push(entry.path().to_path_buf());
            walker.skip_current_dir();
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        dir
    }

    #[test]
    fn discovery_walks_up_to_the_first_marker() {
        let dir = layout(&["p/src/a/Main.java", "p/classes/a/Main.class", "q/jbuild.toml", "q/deep/er/x.txt"]);
        let root = dir.path();
        assert_eq!(discover(&root.join("p")).unwrap(), root.join("p"));
        assert_eq!(discover(&root.join("p/src/a")).unwrap(), root.join("p"));
        assert_eq!(discover(&root.join("p/classes/a")).unwrap(), root.join("p"));
        assert_eq!(discover(&root.join("q/deep/er")).unwrap(), root.join("q"));
    }

    #[test]
    fn classroom_files_and_loose_java_files_make_projects() {
        let dir = layout(&[
            "hw/.github/classroom/autograding.json",
            "yml/.github/workflows/classroom.yml",
            "loose/Hello.java",
            "course/ex1/Hello.java",
            "course/ex1/tests/Hello/a.out",
        ]);
        let root = dir.path();
        assert_eq!(discover(&root.join("hw")).unwrap(), root.join("hw"));
        assert_eq!(discover(&root.join("yml")).unwrap(), root.join("yml"));
        assert_eq!(discover(&root.join("loose")).unwrap(), root.join("loose"), "Java files right here");
        assert!(discover(root).is_err());
        assert!(is_project_dir(&root.join("course/ex1")));
        assert!(!is_project_dir(&root.join("loose")), "a package folder alone is not a project");
        assert_eq!(projects_below(root), [root.join("course/ex1"), root.join("hw"), root.join("yml")]);
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/p/x/../src/./a")), PathBuf::from("/p/src/a"));
        assert_eq!(normalize(Path::new("/p/..")), PathBuf::from("/"));
    }
}
