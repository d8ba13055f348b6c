//! Eclipse's `.classpath`: `src` entries (test folders marked with the
//! `test` attribute; m2e's resource folders excluding `**`), the `output`
//! entry and `lib` jars.

use std::path::Path;

use super::{FolderKind, IdeLayout, read_small_file};
use crate::project::java_level::{JavaLevel, parse_level};

pub const FILE: &str = ".classpath";

pub fn read(root: &Path) -> Option<Result<IdeLayout, String>> {
    let path = root.join(FILE);
    std::fs::symlink_metadata(&path).ok()?;
    Some(read_small_file(&path, FILE).and_then(|text| parse(root, &text)))
}

fn parse(root: &Path, text: &str) -> Result<IdeLayout, String> {
    let document =
        roxmltree::Document::parse(text).map_err(|e| format!("ignoring {FILE}: not XML jbuild understands ({e})"))?;
    let top = document.root_element();
    if !top.has_tag_name("classpath") {
        return Err(format!("ignoring {FILE}: its root element is <{}>, not <classpath>", top.tag_name().name()));
    }
    let mut layout = IdeLayout::new(FILE);
    for entry in top.children().filter(|n| n.has_tag_name("classpathentry")) {
        let (Some(kind), Some(path)) = (entry.attribute("kind"), entry.attribute("path")) else { continue };
        match kind {
            "src" if path.starts_with('/') => {
                layout.notes.push(format!("{FILE}: ignoring {path:?}: it is another Eclipse project"));
            }
            "src" => {
                let is_test = entry.descendants().any(|a| {
                    a.has_tag_name("attribute")
                        && a.attribute("name") == Some("test")
                        && a.attribute("value") == Some("true")
                });
                let optional = entry.descendants().any(|a| {
                    a.has_tag_name("attribute")
                        && a.attribute("name") == Some("optional")
                        && a.attribute("value") == Some("true")
                });
                // m2e lists src/main/resources, target/generated-sources, ...
                // as optional in every project: absent is fine, say nothing.
                if optional && !root.join(path).is_dir() {
                    continue;
                }
                let kind = if entry.attribute("excluding") == Some("**") {
                    FolderKind::Resources
                } else if is_test {
                    FolderKind::Tests
                } else {
                    FolderKind::Sources
                };
                layout.add_folder(root, path, kind);
                // Real projects exclude a few folders; a file of thousands is no project file.
                let room = 256usize.saturating_sub(layout.excluding.iter().map(|(_, p)| p.len()).sum());
                if let Some(patterns) =
                    entry.attribute("excluding").filter(|p| *p != "**" && kind == FolderKind::Sources && room > 0)
                {
                    let patterns = patterns
                        .split('|')
                        .filter(|p| !p.is_empty() && p.len() <= 256)
                        .take(room.min(64))
                        .map(str::to_owned)
                        .collect();
                    layout.excluding.push((super::super::normalize(&root.join(path)), patterns));
                }
            }
            "output" => layout.set_output(root, path),
            "lib" => layout.add_jar(root, path),
            "var" => layout.notes.push(format!("{FILE}: ignoring {path:?}: jbuild does not know Eclipse's variables")),
            // org.eclipse.jdt.launching.JRE_CONTAINER/.../JavaSE-21
            "con" if path.starts_with("org.eclipse.jdt.launching.JRE_CONTAINER") => {
                let environment = path.rsplit('/').next().unwrap_or_default();
                if let Some(feature) = parse_level(environment).filter(|_| environment.starts_with("JavaSE-")) {
                    layout.java_level = Some(JavaLevel::new(feature, format!("{FILE} ({environment})")));
                }
            }
            _ => {}
        }
    }
    Ok(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_eclipse_and_m2e_entries() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for folder in ["src/main/java", "src/test/java", "src/main/resources", "lib"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        std::fs::write(root.join("lib/gson.jar"), "").unwrap();
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<classpath>
  <classpathentry kind="src" output="target/classes" path="src/main/java"/>
  <classpathentry excluding="**" kind="src" output="target/classes" path="src/main/resources"/>
  <classpathentry kind="src" output="target/test-classes" path="src/test/java">
    <attributes><attribute name="test" value="true"/></attributes>
  </classpathentry>
  <classpathentry kind="src" path="/OtherProject"/>
  <classpathentry kind="con" path="org.eclipse.jdt.launching.JRE_CONTAINER"/>
  <classpathentry kind="lib" path="lib/gson.jar"/>
  <classpathentry kind="lib" path="lib/missing.jar"/>
  <classpathentry kind="lib" path="/home/x/.m2/junit-jupiter-api-5.8.1.jar"/>
  <classpathentry kind="src" path="target/generated-sources/annotations">
    <attributes><attribute name="optional" value="true"/></attributes>
  </classpathentry>
  <classpathentry kind="con" path="org.eclipse.jdt.launching.JRE_CONTAINER/org.eclipse.jdt.internal.debug.ui.launcher.StandardVMType/JavaSE-21"/>
  <classpathentry kind="output" path="bin"/>
</classpath>"#;
        let layout = parse(root, text).unwrap();
        assert_eq!(layout.sources, [root.join("src/main/java")]);
        assert_eq!(layout.tests, [root.join("src/test/java")]);
        assert_eq!(layout.resources, [root.join("src/main/resources")]);
        assert_eq!(layout.output, Some(root.join("bin")));
        assert_eq!(layout.jars, [root.join("lib/gson.jar")]);
        // Another project and a missing jar; not the JUnit jar jbuild brings, nor m2e's optional folder.
        assert_eq!(layout.notes.len(), 2, "{:?}", layout.notes);
        assert_eq!(layout.java_level.map(|l| l.feature), Some(21));
        assert!(parse(root, "<classpath><oops></classpath>").unwrap_err().contains("not XML jbuild understands"));
        assert!(parse(root, "<project/>").unwrap_err().contains("not <classpath>"));
    }
}
