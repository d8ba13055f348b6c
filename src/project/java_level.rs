//! The Java version a project's own files say it is written for: Maven's
//! `maven.compiler.release`/`source` (or the compiler plugin's), Gradle's
//! toolchain or `sourceCompatibility`, Eclipse's `JavaSE-NN` container,
//! IntelliJ's language level. jbuild prefers a JDK that has it, as the IDE
//! or the build tool would have used; it is a preference, not a `jdk`
//! setting: with no such JDK installed, the default one is used, with a
//! warning that names the version.

use serde::Serialize;

/// A Java version a project file names, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JavaLevel {
    /// The feature release: 8, 17, 21.
    pub feature: u32,
    /// `pom.xml (maven.compiler.release)`, `.classpath (JavaSE-21)`.
    pub from: String,
}

impl JavaLevel {
    pub fn new(feature: u32, from: impl Into<String>) -> JavaLevel {
        JavaLevel { feature, from: from.into() }
    }
}

/// `21`, `1.8`, `JavaSE-21`, `JavaSE-1.8`, `JDK_21`, `JDK_1_8`, `JDK_21_PREVIEW`,
/// `VERSION_17`, `VERSION_1_8`: the feature release, when it is one jbuild
/// can believe (8 to 99).
pub fn parse_level(text: &str) -> Option<u32> {
    let text = text.trim();
    let rest = ["JavaSE-", "JDK_", "VERSION_"].iter().find_map(|p| text.strip_prefix(p)).unwrap_or(text);
    let rest = rest.strip_suffix("_PREVIEW").unwrap_or(rest);
    let rest = rest.strip_prefix("1.").or_else(|| rest.strip_prefix("1_")).unwrap_or(rest);
    let feature: u32 = rest.parse().ok()?;
    (5..100).contains(&feature).then_some(feature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_as_each_tool_writes_them() {
        for (text, feature) in [
            ("21", Some(21)),
            ("1.8", Some(8)),
            ("JavaSE-17", Some(17)),
            ("JavaSE-1.8", Some(8)),
            ("JDK_21", Some(21)),
            ("JDK_1_8", Some(8)),
            ("JDK_22_PREVIEW", Some(22)),
            ("VERSION_17", Some(17)),
            (" 25 ", Some(25)),
            ("${java.version}", None),
            ("latest", None),
            ("1000", None),
        ] {
            assert_eq!(parse_level(text), feature, "{text}");
        }
    }
}
