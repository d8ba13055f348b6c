//! VS Code's `.vscode/settings.json`: the Java extension's
//! `java.project.sourcePaths`, `java.project.outputPath` and
//! `java.project.referencedLibraries` (globs, or `{include, exclude}`).

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::{FolderKind, IdeLayout, jsonc, read_small_file};

pub const FILE: &str = ".vscode/settings.json";
const SOURCE_PATHS: &str = "java.project.sourcePaths";
const OUTPUT_PATH: &str = "java.project.outputPath";
const LIBRARIES: &str = "java.project.referencedLibraries";

/// Most folders a library glob may look through, and how deep.
const MAX_GLOB_ENTRIES: usize = 20_000;
const MAX_GLOB_DEPTH: usize = 16;

/// `None` when there is no settings file or it says nothing about Java.
pub fn read(root: &Path) -> Option<Result<IdeLayout, String>> {
    let path = root.join(FILE);
    std::fs::symlink_metadata(&path).ok()?;
    let text = match read_small_file(&path, FILE) {
        Ok(text) => text,
        Err(note) => return Some(Err(note)),
    };
    let value = match jsonc::parse(&text) {
        Ok(value) => value,
        Err(e) => return Some(Err(format!("ignoring {FILE}: not JSON jbuild understands ({e})"))),
    };
    let Value::Object(settings) = value else {
        return Some(Err(format!("ignoring {FILE}: not a JSON object")));
    };
    if ![SOURCE_PATHS, OUTPUT_PATH, LIBRARIES].iter().any(|key| settings.contains_key(*key)) {
        return None;
    }
    let mut layout = IdeLayout::new(FILE);
    match settings.get(SOURCE_PATHS) {
        None => {}
        Some(Value::Array(paths)) if paths.iter().all(Value::is_string) => {
            for path in paths.iter().filter_map(Value::as_str) {
                layout.add_folder(root, path, FolderKind::Sources);
            }
        }
        Some(_) => layout.notes.push(format!("{FILE}: ignoring `{SOURCE_PATHS}`: not a list of folders")),
    }
    match settings.get(OUTPUT_PATH) {
        None => {}
        Some(Value::String(path)) => layout.set_output(root, path),
        Some(_) => layout.notes.push(format!("{FILE}: ignoring `{OUTPUT_PATH}`: not a folder name")),
    }
    let (include, exclude) = match settings.get(LIBRARIES) {
        None => (Vec::new(), Vec::new()),
        Some(Value::Array(globs)) => (strings(globs), Vec::new()),
        Some(Value::Object(spec)) => (
            spec.get("include").and_then(Value::as_array).map(|g| strings(g)).unwrap_or_default(),
            spec.get("exclude").and_then(Value::as_array).map(|g| strings(g)).unwrap_or_default(),
        ),
        Some(_) => {
            layout.notes.push(format!("{FILE}: ignoring `{LIBRARIES}`: not a list of globs"));
            (Vec::new(), Vec::new())
        }
    };
    for jar in matching_jars(root, &include, &exclude, &mut layout.notes) {
        if !layout.jars.contains(&jar) {
            layout.jars.push(jar);
        }
    }
    Some(Ok(layout))
}

fn strings(values: &[Value]) -> Vec<String> {
    values.iter().filter_map(Value::as_str).map(str::to_owned).collect()
}

/// The jars the `include` globs match and the `exclude` globs do not.
/// Relative globs are matched inside the project; an absolute one only when
/// it names one jar (jbuild does not search the machine).
fn matching_jars(root: &Path, include: &[String], exclude: &[String], notes: &mut Vec<String>) -> Vec<PathBuf> {
    let excluded = |jar: &Path| {
        exclude.iter().any(|glob| {
            let relative = jar.strip_prefix(root).unwrap_or(jar);
            let glob = glob.strip_prefix("./").unwrap_or(glob);
            matches(glob, relative) || matches(glob, jar)
        })
    };
    let mut jars = Vec::new();
    for glob in include {
        let glob = glob.strip_prefix("./").unwrap_or(glob);
        if Path::new(glob).is_absolute() {
            if has_wildcard(glob) {
                notes.push(format!(
                    "{FILE}: ignoring library glob {glob:?}: jbuild searches for jars inside the project only"
                ));
            } else if Path::new(glob).is_file() {
                jars.push(PathBuf::from(glob));
            }
            continue;
        }
        let literal: PathBuf = glob.split('/').take_while(|part| !has_wildcard(part)).collect();
        if literal.components().any(|c| !matches!(c, Component::Normal(_))) {
            notes.push(format!("{FILE}: ignoring library glob {glob:?}: it leads out of the project"));
            continue;
        }
        let start = root.join(&literal);
        if !has_wildcard(glob) {
            if start.is_file() {
                jars.push(start);
            }
            continue;
        }
        let walker = walkdir::WalkDir::new(&start).max_depth(MAX_GLOB_DEPTH).sort_by_file_name();
        for entry in walker.into_iter().filter_map(Result::ok).take(MAX_GLOB_ENTRIES) {
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
            if entry.file_type().is_file() && matches(glob, relative) {
                jars.push(entry.path().to_path_buf());
            }
        }
    }
    jars.retain(|jar| !excluded(jar));
    jars.retain(|jar| {
        let inside = super::real_inside(root, jar);
        if !inside {
            notes.push(format!(
                "{FILE}: ignoring jar {}: it is outside the project (copy it into lib/ to use it)",
                jar.display()
            ));
        }
        inside
    });
    jars
}

fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

/// Whether `path` matches the glob: `**` for any number of folders, `*` and
/// `?` within one name, `[abc]` for one of a set.
pub fn matches(glob: &str, path: &Path) -> bool {
    let pattern: Vec<&str> = glob.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let parts: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).filter(|p| *p != "/").collect();
    pattern.len() <= 64 && match_parts(&pattern, &parts)
}

fn match_parts(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| match_parts(rest, &path[skip..])),
        Some((part, rest)) => {
            path.first().is_some_and(|name| match_name(part.as_bytes(), name.as_bytes()))
                && match_parts(rest, &path[1..])
        }
    }
}

/// One name against one glob part, byte by byte (globs of jar names are ASCII).
fn match_name(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|skip| match_name(rest, &name[skip..])),
        Some((b'?', rest)) => !name.is_empty() && match_name(rest, &name[1..]),
        Some((b'[', rest)) if rest.contains(&b']') => {
            let end = rest.iter().position(|b| *b == b']').expect("checked");
            let set = &rest[..end];
            name.first().is_some_and(|c| set.contains(c)) && match_name(&rest[end + 1..], &name[1..])
        }
        Some((c, rest)) => name.first() == Some(c) && match_name(rest, &name[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_as_vs_code_writes_them() {
        assert!(matches("lib/**/*.jar", Path::new("lib/a.jar")));
        assert!(matches("lib/**/*.jar", Path::new("lib/x/y/a.jar")));
        assert!(!matches("lib/**/*.jar", Path::new("libs/a.jar")));
        assert!(!matches("lib/*.jar", Path::new("lib/x/a.jar")));
        assert!(matches("**/junit-?.jar", Path::new("deps/junit-4.jar")));
        assert!(matches("lib/[ab]*.jar", Path::new("lib/b2.jar")));
        assert!(!matches("lib/[ab]*.jar", Path::new("lib/c.jar")));
        assert!(matches("/opt/x/*.jar", Path::new("/opt/x/y.jar")));
    }

    fn project(settings: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".vscode")).unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::create_dir_all(dir.path().join("lib/extra")).unwrap();
        std::fs::write(dir.path().join("lib/a.jar"), "").unwrap();
        std::fs::write(dir.path().join("lib/extra/b.jar"), "").unwrap();
        std::fs::write(dir.path().join("lib/notes.txt"), "").unwrap();
        std::fs::write(dir.path().join(FILE), settings).unwrap();
        dir
    }

    #[test]
    fn reads_sources_output_and_jars() {
        let dir = project(
            "{\n // VS Code writes comments\n \"java.project.sourcePaths\": [\"src\"],\n \"java.project.outputPath\": \"bin\",\n \
             \"java.project.referencedLibraries\": [\"lib/**/*.jar\"],\n}",
        );
        let root = dir.path();
        let layout = read(root).unwrap().unwrap();
        assert_eq!(layout.sources, [root.join("src")]);
        assert_eq!(layout.output, Some(root.join("bin")));
        assert_eq!(layout.jars, [root.join("lib/a.jar"), root.join("lib/extra/b.jar")]);
        assert!(layout.notes.is_empty(), "{:?}", layout.notes);
    }

    #[test]
    fn include_and_exclude() {
        let dir = project(
            "{\"java.project.referencedLibraries\": {\"include\": [\"lib/**/*.jar\"], \"exclude\": [\"lib/extra/**\"]}}",
        );
        assert_eq!(read(dir.path()).unwrap().unwrap().jars, [dir.path().join("lib/a.jar")]);
    }

    #[test]
    fn what_jbuild_cannot_use_is_a_note() {
        let dir = project("{\"java.project.sourcePaths\": \"src\", \"java.project.outputPath\": \"../../out\"}");
        let layout = read(dir.path()).unwrap().unwrap();
        assert!(layout.is_empty());
        let note = layout.notes.join("\n");
        assert!(note.contains("ignoring `java.project.sourcePaths`: not a list of folders"), "{note}");
        assert!(note.contains("ignoring output folder \"../../out\""), "{note}");
        let dir = project("{\"java.project.sourcePaths\": [\"src\"] \"oops\": 1}");
        assert!(read(dir.path()).unwrap().unwrap_err().starts_with("ignoring .vscode/settings.json: not JSON"));
        let dir = project("{\"editor.tabSize\": 2}");
        assert!(read(dir.path()).is_none(), "settings without Java keys are not a Java layout");
        let dir = project("{\"java.project.referencedLibraries\": [\"../**/*.jar\", \"/**/*.jar\"]}");
        let note = read(dir.path()).unwrap().unwrap().notes.join("\n");
        assert!(note.contains("leads out of the project") && note.contains("inside the project only"), "{note}");
    }
}
