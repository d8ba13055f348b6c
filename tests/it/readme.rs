//! The README's promises that can be checked mechanically: its CI
//! workflows parse, its first project works as written, and the tests it
//! names exist.

use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The fenced blocks of `language`.
fn blocks(text: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}\n");
    text.split(&fence).skip(1).map(|rest| rest.split("```").next().unwrap().to_owned()).collect()
}

#[test]
fn the_ci_workflows_parse() {
    let yaml = blocks(&readme(), "yaml");
    assert!(yaml.len() >= 3, "the GitHub, GitLab and Classroom workflows");
    for block in &yaml {
        let value: serde_norway::Value =
            serde_norway::from_str(block).unwrap_or_else(|e| panic!("invalid YAML: {e}\n{block}"));
        let github = value.get("jobs").and_then(|jobs| jobs.as_mapping()).is_some_and(|jobs| !jobs.is_empty());
        let gitlab = value.get("check").and_then(|job| job.get("script")).is_some();
        assert!(github || gitlab, "neither a GitHub nor a GitLab workflow:\n{block}");
        assert!(block.contains("jbuild check") || block.contains("jbuild test"), "the workflow runs jbuild:\n{block}");
    }
}

#[test]
fn the_first_project_works_as_written() {
    let text = readme();
    let section = text.split("## Your first project, in five lines").nth(1).unwrap();
    let script = blocks(section, "sh").into_iter().next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_jbuild")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let output = std::process::Command::new("sh")
        .args(["-ec", &script])
        .current_dir(dir.path())
        .env("PATH", path)
        .env("JBUILD_CACHE_DIR", std::env::temp_dir().join("jbuild-test-cache"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("Hello, World!\n"), "{stdout}");
    assert!(
        stdout.contains("PASS") && stdout.contains("hello.Main/basic") && stdout.contains("1 passed, 0 failed"),
        "{stdout}"
    );
}

#[test]
fn every_test_the_readme_names_exists() {
    let text = readme();
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let mut named = 0;
    for piece in text.split('`').skip(1).step_by(2) {
        let Some((module, test)) = piece.split_once("::") else { continue };
        if !module.chars().all(|c| c.is_ascii_lowercase() || c == '_') || test.contains(' ') {
            continue;
        }
        let Ok(source) = std::fs::read_to_string(here.join(format!("{module}.rs"))) else { continue };
        assert!(source.contains(&format!("fn {test}()")), "the README names {module}::{test}, which does not exist");
        named += 1;
    }
    assert!(named >= 15, "the README backs its safety promises with named tests ({named} found)");
}

#[test]
fn every_jbuild_toml_example_parses() {
    let toml_blocks = blocks(&readme(), "toml");
    assert!(!toml_blocks.is_empty());
    for block in toml_blocks {
        let parsed: Result<jbuild::project::settings::SettingsFile, _> = toml::from_str(&block);
        assert!(parsed.is_ok(), "a README example jbuild.toml does not parse: {:?}\n{block}", parsed.err());
    }
}

#[test]
fn jbuild_new_writes_the_readmes_github_workflow() {
    let readme_workflow = blocks(&readme(), "yaml").into_iter().find(|b| b.contains("runs-on")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jbuild"))
        .args(["new", "ex"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let generated = std::fs::read_to_string(dir.path().join("ex/.github/workflows/jbuild.yml")).unwrap();
    let steps = |text: &str| {
        let value: serde_norway::Value = serde_norway::from_str(text).unwrap();
        value["jobs"]["check"]["steps"].clone()
    };
    assert_eq!(steps(&generated), steps(&readme_workflow), "jbuild new and the README disagree:\n{generated}");
}
