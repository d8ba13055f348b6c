//! IntelliJ IDEA's module file `*.iml`: its source, test and resource
//! folders, its jars (module libraries, and project libraries from
//! `.idea/libraries/`), and its output folder: `out/production/<module>`
//! under the project's compiler output (`.idea/misc.xml`), unless the
//! module names its own.

use std::path::{Path, PathBuf};

use super::{FolderKind, IdeLayout, read_small_file};
use crate::project::java_level::{JavaLevel, parse_level};

const MISC: &str = ".idea/misc.xml";
const LIBRARIES: &str = ".idea/libraries";
/// IntelliJ's compiler output when `.idea/misc.xml` names none.
const DEFAULT_PROJECT_OUTPUT: &str = "out";
const MAX_LIBRARY_FILES: usize = 200;

/// The module file at the project's top: the one named after the folder,
/// else the first by name.
pub fn read(root: &Path) -> Option<Result<IdeLayout, String>> {
    let mut modules: Vec<String> = std::fs::read_dir(root)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".iml"))
        .collect();
    modules.sort();
    let folder_name = root.file_name().map(|n| format!("{}.iml", n.to_string_lossy()));
    let file = modules.iter().find(|m| Some(*m) == folder_name.as_ref()).or(modules.first())?.clone();
    let mut result = read_small_file(&root.join(&file), &file).and_then(|text| parse(root, &file, &text));
    if modules.len() > 1
        && let Ok(layout) = &mut result
    {
        layout.notes.push(format!("using {file} of the modules {}", modules.join(", ")));
    }
    Some(result)
}

fn parse(root: &Path, file: &str, text: &str) -> Result<IdeLayout, String> {
    let document =
        roxmltree::Document::parse(text).map_err(|e| format!("ignoring {file}: not XML jbuild understands ({e})"))?;
    let Some(manager) = document
        .descendants()
        .find(|n| n.has_tag_name("component") && n.attribute("name") == Some("NewModuleRootManager"))
    else {
        return Err(format!("ignoring {file}: it has no NewModuleRootManager component (not a Java module)"));
    };
    let module = file.strip_suffix(".iml").unwrap_or(file);
    let mut layout = IdeLayout::new(file);
    for folder in manager.descendants().filter(|n| n.has_tag_name("sourceFolder")) {
        let Some(url) = folder.attribute("url") else { continue };
        let Some(path) = expand(root, url) else {
            layout.notes.push(format!("{file}: ignoring source folder {url:?}: jbuild cannot read its location"));
            continue;
        };
        if folder.attribute("packagePrefix").is_some_and(|p| !p.is_empty()) {
            layout.notes.push(format!(
                "{file}: ignoring source folder {url:?}: its package prefix does not match its folders, as javac needs"
            ));
            continue;
        }
        let kind = match (folder.attribute("type"), folder.attribute("isTestSource")) {
            (Some("java-resource"), _) => FolderKind::Resources,
            (Some("java-test-resource"), _) => continue,
            (_, Some("true")) => FolderKind::Tests,
            _ => FolderKind::Sources,
        };
        layout.add_folder(root, &path, kind);
    }
    let misc = Misc::read(root);
    // The module's own language level, else the project's.
    layout.java_level = manager
        .attribute("LANGUAGE_LEVEL")
        .and_then(|level| Some(JavaLevel::new(parse_level(level)?, format!("{file} (LANGUAGE_LEVEL {level})"))))
        .or(misc.java_level);
    let output = if manager.attribute("inherit-compiler-output") == Some("true") {
        Some(format!("{}/production/{module}", misc.output.unwrap_or_else(|| DEFAULT_PROJECT_OUTPUT.to_owned())))
    } else {
        let own = manager.children().find(|n| n.has_tag_name("output")).and_then(|n| n.attribute("url"));
        own.and_then(|url| expand(root, url))
    };
    if let Some(output) = output {
        layout.set_output(root, &output);
    }
    for entry in manager.children().filter(|n| n.has_tag_name("orderEntry")) {
        match entry.attribute("type") {
            Some("module-library") => add_library_jars(root, file, entry, &mut layout),
            Some("library") if entry.attribute("level") == Some("project") => {
                let name = entry.attribute("name").unwrap_or_default();
                match project_library(root, name) {
                    Some((library_file, text)) => match roxmltree::Document::parse(&text) {
                        Ok(doc) => {
                            let library = doc.descendants().find(|n| n.has_tag_name("library"));
                            if let Some(library) = library {
                                add_library_jars(root, &library_file, library, &mut layout);
                            }
                        }
                        Err(e) => {
                            layout.notes.push(format!("ignoring {library_file}: not XML jbuild understands ({e})"))
                        }
                    },
                    None => layout.notes.push(format!("{file}: ignoring library {name:?}: not in {LIBRARIES}/")),
                }
            }
            _ => {}
        }
    }
    Ok(layout)
}

/// The jars under a library's `<CLASSES>`: `jar://...!/` roots, and every
/// jar of a `<jarDirectory>`.
fn add_library_jars(root: &Path, file: &str, node: roxmltree::Node, layout: &mut IdeLayout) {
    let Some(classes) = node.descendants().find(|n| n.has_tag_name("CLASSES")) else { return };
    let directories: Vec<&str> =
        node.descendants().filter(|n| n.has_tag_name("jarDirectory")).filter_map(|n| n.attribute("url")).collect();
    for url in classes.children().filter(|n| n.has_tag_name("root")).filter_map(|n| n.attribute("url")) {
        match expand(root, url) {
            Some(path) if directories.contains(&url) => {
                let mut jars: Vec<PathBuf> = std::fs::read_dir(root.join(&path))
                    .into_iter()
                    .flatten()
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "jar"))
                    .collect();
                jars.sort();
                for jar in jars {
                    layout.add_jar(root, &jar.to_string_lossy());
                }
            }
            Some(path) => layout.add_jar(root, &path),
            None => layout.notes.push(format!("{file}: ignoring jar {url:?}: jbuild cannot read its location")),
        }
    }
}

/// `.idea/libraries/*.xml` whose library is `name`.
fn project_library(root: &Path, name: &str) -> Option<(String, String)> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(root.join(LIBRARIES)).ok()?.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    files.into_iter().filter(|p| p.extension().is_some_and(|x| x == "xml")).take(MAX_LIBRARY_FILES).find_map(|path| {
        let shown = format!("{LIBRARIES}/{}", path.file_name()?.to_string_lossy());
        let text = read_small_file(&path, &shown).ok()?;
        let document = roxmltree::Document::parse(&text).ok()?;
        let found = document.descendants().any(|n| n.has_tag_name("library") && n.attribute("name") == Some(name));
        found.then_some((shown, text))
    })
}

/// What `.idea/misc.xml`'s `ProjectRootManager` says: the project's compiler
/// output (relative to the root) and its language level.
#[derive(Default)]
struct Misc {
    output: Option<String>,
    java_level: Option<JavaLevel>,
}

impl Misc {
    fn read(root: &Path) -> Misc {
        let Ok(text) = read_small_file(&root.join(MISC), MISC) else { return Misc::default() };
        let Ok(document) = roxmltree::Document::parse(&text) else { return Misc::default() };
        let Some(manager) = document
            .descendants()
            .find(|n| n.has_tag_name("component") && n.attribute("name") == Some("ProjectRootManager"))
        else {
            return Misc::default();
        };
        let output = manager.children().find(|n| n.has_tag_name("output")).and_then(|n| n.attribute("url"));
        let java_level = manager
            .attribute("languageLevel")
            .and_then(|level| Some(JavaLevel::new(parse_level(level)?, format!("{MISC} (languageLevel {level})"))));
        Misc { output: output.and_then(|url| expand(root, url)), java_level }
    }
}

/// An IntelliJ URL (`file://$MODULE_DIR$/src`, `jar://$PROJECT_DIR$/lib/a.jar!/`)
/// as a path relative to the project root, or absolute outside it; `None`
/// for a macro jbuild does not know.
fn expand(root: &Path, url: &str) -> Option<String> {
    let path = url.strip_prefix("file://").or_else(|| url.strip_prefix("jar://"))?;
    let path = path.strip_suffix("!/").unwrap_or(path);
    for project_macro in ["$MODULE_DIR$", "$PROJECT_DIR$"] {
        if let Some(rest) = path.strip_prefix(project_macro) {
            let rest = rest.trim_start_matches('/');
            return Some(if rest.is_empty() { ".".to_owned() } else { rest.to_owned() });
        }
    }
    let home = crate::env::get().home.clone();
    for (user_macro, folder) in [("$USER_HOME$", ""), ("$MAVEN_REPOSITORY$", ".m2/repository")] {
        if let Some(rest) = path.strip_prefix(user_macro) {
            return Some(home?.join(folder).join(rest.trim_start_matches('/')).to_string_lossy().into_owned());
        }
    }
    (!path.contains('$') && Path::new(path).is_absolute()).then(|| {
        // An absolute path inside the project is written relative to it.
        Path::new(path).strip_prefix(root).map_or_else(|_| path.to_owned(), |p| p.to_string_lossy().into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<module type="JAVA_MODULE" version="4">
  <component name="NewModuleRootManager" inherit-compiler-output="true">
    <exclude-output />
    <content url="file://$MODULE_DIR$">
      <sourceFolder url="file://$MODULE_DIR$/src" isTestSource="false" />
      <sourceFolder url="file://$MODULE_DIR$/test" isTestSource="true" />
      <sourceFolder url="file://$MODULE_DIR$/resources" type="java-resource" />
      <sourceFolder url="file://$MODULE_DIR$/gen" isTestSource="false" packagePrefix="com.gen" />
    </content>
    <orderEntry type="inheritedJdk" />
    <orderEntry type="sourceFolder" forTests="false" />
    <orderEntry type="module-library">
      <library><CLASSES><root url="jar://$MODULE_DIR$/lib/gson.jar!/" /></CLASSES><JAVADOC /><SOURCES /></library>
    </orderEntry>
    <orderEntry type="library" name="commons" level="project" />
  </component>
</module>"#;

    #[test]
    fn reads_a_module_and_its_project() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("app");
        for folder in ["src", "test", "resources", "gen", "lib", "libs", ".idea/libraries"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        std::fs::write(root.join("lib/gson.jar"), "").unwrap();
        std::fs::write(root.join("libs/commons-a.jar"), "").unwrap();
        std::fs::write(root.join("libs/commons-b.jar"), "").unwrap();
        std::fs::write(
            root.join(".idea/libraries/commons.xml"),
            r#"<component name="libraryTable"><library name="commons"><CLASSES><root url="file://$PROJECT_DIR$/libs" /></CLASSES><jarDirectory url="file://$PROJECT_DIR$/libs" recursive="false" /></library></component>"#,
        )
        .unwrap();
        std::fs::write(root.join("app.iml"), MODULE).unwrap();
        std::fs::write(root.join("other.iml"), MODULE).unwrap();
        let layout = read(&root).unwrap().unwrap();
        assert_eq!(layout.file, "app.iml");
        assert_eq!(layout.sources, [root.join("src")]);
        assert_eq!(layout.tests, [root.join("test")]);
        assert_eq!(layout.resources, [root.join("resources")]);
        assert_eq!(layout.output, Some(root.join("out/production/app")));
        assert_eq!(
            layout.jars,
            [root.join("lib/gson.jar"), root.join("libs/commons-a.jar"), root.join("libs/commons-b.jar")]
        );
        assert!(layout.notes.iter().any(|n| n.contains("package prefix")), "{:?}", layout.notes);
        std::fs::write(
            root.join(MISC),
            r#"<project version="4"><component name="ProjectRootManager" version="2" project-jdk-name="17"><output url="file://$PROJECT_DIR$/build-out" /></component></project>"#,
        )
        .unwrap();
        assert_eq!(read(&root).unwrap().unwrap().output, Some(root.join("build-out/production/app")));
    }

    #[test]
    fn urls() {
        let root = Path::new("/p");
        assert_eq!(expand(root, "file://$MODULE_DIR$/src").as_deref(), Some("src"));
        assert_eq!(expand(root, "file://$MODULE_DIR$").as_deref(), Some("."));
        assert_eq!(expand(root, "jar://$PROJECT_DIR$/lib/a.jar!/").as_deref(), Some("lib/a.jar"));
        assert_eq!(expand(root, "jar:///opt/x.jar!/").as_deref(), Some("/opt/x.jar"));
        assert_eq!(expand(root, "file:///p/src").as_deref(), Some("src"));
        assert_eq!(expand(root, "file://$KOTLIN_BUNDLED$/lib"), None);
    }
}
