//! The layouts people really have: Maven's folders without Maven, roots
//! found from package lines, VS Code, Eclipse and IntelliJ project files,
//! build files with dependencies, the JDK a project asks for, and
//! `jbuild doctor`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Jbuild, Outcome, TestProject};

/// A project with nothing in it yet (not even `src/`).
fn bare() -> TestProject {
    let p = TestProject::empty();
    std::fs::remove_dir(p.path("src")).unwrap();
    p
}

/// Maven's layout: a main class using a helper and a resource, a JUnit
/// test jbuild must leave to the tests, and a pom.xml with only JUnit.
fn maven() -> TestProject {
    let p = bare();
    p.write(
        "src/main/java/com/x/App.java",
        "package com.x;\n\npublic class App {\n    public static void main(String[] args) throws Exception {\n        \
         try (var in = App.class.getResourceAsStream(\"/greeting.txt\")) {\n            \
         System.out.println(new String(in.readAllBytes()).trim() + \" \" + Util.twice(21));\n        }\n    }\n}\n",
    );
    p.write(
        "src/main/java/com/x/Util.java",
        "package com.x;\n\nclass Util {\n    static int twice(int x) { return 2 * x; }\n}\n",
    );
    p.write("src/main/resources/greeting.txt", "Hello from a resource\n");
    p.write(
        "src/test/java/com/x/AppTest.java",
        "package com.x;\n\nimport org.junit.jupiter.api.Test;\n\nclass AppTest {\n    @Test void twice() {}\n}\n",
    );
    p.write(
        "pom.xml",
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n  \
         <groupId>com.x</groupId><artifactId>app</artifactId><version>1.0</version>\n  <dependencies>\n    \
         <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId>\
         <version>5.10.2</version><scope>test</scope></dependency>\n  </dependencies>\n</project>\n",
    );
    p
}

/// A real jar with `com.acme.Greeter` (`greet(name)`), built with the JDK's
/// javac and jar, at `relative` in the project.
fn greeter_jar(p: &TestProject, relative: &str) {
    let javac = which("javac");
    let jar = javac.parent().unwrap().join("jar");
    let work = tempfile::tempdir().unwrap();
    let source = work.path().join("com/acme/Greeter.java");
    std::fs::create_dir_all(source.parent().unwrap()).unwrap();
    std::fs::write(&source, "package com.acme;\npublic class Greeter {\n    public static String greet(String name) { return \"Hello, \" + name + \"!\"; }\n}\n").unwrap();
    let classes = work.path().join("classes");
    assert!(Command::new(&javac).arg("-d").arg(&classes).arg(&source).status().unwrap().success());
    let target = p.path(relative);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    assert!(Command::new(&jar).arg("cf").arg(&target).arg("-C").arg(&classes).arg(".").status().unwrap().success());
}

fn which(tool: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap();
    let found = std::env::split_paths(&path).map(|dir| dir.join(tool)).find(|p| p.is_file()).expect(tool);
    found.canonicalize().unwrap()
}

const USES_GREETER: &str = "package app;\n\nimport com.acme.Greeter;\n\npublic class Main {\n    \
                            public static void main(String[] args) {\n        System.out.println(Greeter.greet(\"jbuild\"));\n    }\n}\n";

#[test]
fn maven_layout_without_maven_runs_compiles_lists_and_checks() {
    let p = maven();
    p.jbuild(&["run", "com.x.App"]).run().success().stdout_is("Hello from a resource 42\n");
    assert!(p.exists("classes/com/x/App.class") && p.exists("classes/greeting.txt"));
    assert!(!p.exists("classes/com/x/AppTest.class"), "test sources are not part of the main build");
    p.jbuild(&["compile", "src/main/java/com/x/Util.java"]).run().success().stderr_has("Fresh com.x.Util");
    p.jbuild_in("src/main/java/com/x", &["compile", "App.java"]).run().success();
    let out = p.jbuild(&["-v", "compile"]).run();
    out.success()
        .stderr_has("Sources src/main/java/ (Maven's layout)")
        .stderr_has("Tests src/test/java/ (Maven's layout)")
        .stderr_has("Resources src/main/resources/ (Maven's layout)")
        .stderr_lacks("package main.java");
    p.jbuild(&["list"]).run().success().stdout_is("com.x.App  src/main/java/com/x/App.java  static main\n");
    p.write("tests/com.x.App/hello.out", "Hello from a resource 42\n");
    // src/test/java holds JUnit tests: check runs them beside the I/O case.
    let out = p.jbuild(&["check"]).run();
    out.success().stdout_has("com.x.AppTest/twice").stdout_has("2 passed, 0 failed");

    // A changed resource is copied again without recompiling; a removed one goes.
    p.write("src/main/resources/greeting.txt", "Hi again\n");
    p.jbuild(&["run", "com.x.App"]).run().success().stdout_is("Hi again 42\n").stderr_has("Fresh com.x.App");
    p.write("src/main/resources/extra/notes.txt", "x");
    p.jbuild(&["compile"]).run().success();
    assert!(p.exists("classes/extra/notes.txt"));
    std::fs::remove_file(p.path("src/main/resources/extra/notes.txt")).unwrap();
    p.jbuild(&["compile"]).run().success();
    assert!(!p.exists("classes/extra"), "the copy of a removed resource is removed");
    p.jbuild(&["clean"]).run().success();
    assert!(!p.exists("classes/greeting.txt") && !p.exists("classes/com/x/App.class"));
}

#[test]
fn a_stray_file_is_told_the_fix_that_keeps_the_rest() {
    let p = maven();
    p.write("src/main/java/com/x/Helper.java", "package com.y;\n\nclass Helper {}\n");
    let out = p.jbuild(&["compile"]).run();
    out.code(1)
        .stderr_has(
            "src/main/java/com/x/Helper.java: declares `package com.y;`, but its folder means `package com.x;` \
             (source root src/main/java); change its package line to `package com.x;` or move it to \
             src/main/java/com/y/",
        )
        .stderr_lacks("main.java.com");
    // The rest of the project still runs: the stray file is not used.
    p.jbuild(&["run", "com.x.App"]).run().success().stdout_is("Hello from a resource 42\n");

    // A file outside every root is not compiled, and said so.
    std::fs::remove_file(p.path("src/main/java/com/x/Helper.java")).unwrap();
    p.write("src/Old.java", "class Old {}\n");
    p.jbuild(&["compile"])
        .run()
        .success()
        .stderr_has("not compiling src/Old.java: outside the source roots (src/main/java)");
}

#[test]
fn maven_folders_whose_files_all_name_src_as_their_root_use_src() {
    // A project opened with src/ as its root: every package line starts with main.java.
    let p = bare();
    p.write(
        "src/main/java/App.java",
        "package main.java;\n\nimport main.java.model.Item;\n\npublic class App {\n    \
         public static void main(String[] args) { System.out.println(new Item().name()); }\n}\n",
    );
    p.write(
        "src/main/java/model/Item.java",
        "package main.java.model;\n\npublic class Item {\n    public String name() { return \"item\"; }\n}\n",
    );
    p.jbuild(&["run", "main.java.App"]).run().success().stdout_is("item\n");
    assert!(p.exists("classes/main/java/model/Item.class"));
    // One file in src/main/java without such a package line: Maven's folder is the root again.
    p.write("src/main/java/Other.java", "public class Other {}\n");
    p.jbuild(&["compile"]).run().code(1).stderr_has("src/main/java/App.java: declares `package main.java;`");
}

#[test]
fn a_named_source_folder_that_cuts_packages_is_pointed_at_the_right_root() {
    let p = maven();
    p.write("jbuild.toml", "src = \"src\"\n");
    p.jbuild(&["compile", "src/main/java/com/x/App.java"])
        .run()
        .code(1)
        .stderr_has("its package makes src/main/java its source root: set `src = \"src/main/java\"` in jbuild.toml");
    p.write("jbuild.toml", "src = \"src/main/java\"\n");
    p.jbuild(&["run", "com.x.App"]).run().success().stdout_is("Hello from a resource 42\n");
}

#[test]
fn two_roots_that_agree_are_both_source_roots() {
    let p = TestProject::empty();
    p.write(
        "src/core/com/x/Shape.java",
        "package com.x;\n\npublic class Shape {\n    public static int sides() { return 4; }\n}\n",
    );
    p.write(
        "src/app/com/y/Main.java",
        "package com.y;\n\nimport com.x.Shape;\n\npublic class Main {\n    public static void main(String[] a) {\n        \
         System.out.println(\"sides: \" + Shape.sides());\n    }\n}\n",
    );
    let out = p.jbuild(&["-v", "run", "com.y.Main"]).run();
    out.success()
        .stdout_is("sides: 4\n")
        .stderr_has("Sources src/app/ (the package lines of 1 file)")
        .stderr_has("Sources src/core/ (the package lines of 1 file)")
        .stderr_has("-sourcepath src/app:src/core");
    assert!(p.exists("classes/com/x/Shape.class") && p.exists("classes/com/y/Main.class"));
    p.jbuild(&["compile", "src/core/com/x/Shape.java"]).run().success().stderr_has("Fresh com.x.Shape");
    p.jbuild(&["list", "--all"]).run().success().stdout_is(
        "com.y.Main   src/app/com/y/Main.java    static main\ncom.x.Shape  src/core/com/x/Shape.java  no main\n",
    );
    // The record keys sources below the project root: one class per key.
    let record = p.read("classes/.jbuild/record.json");
    assert!(
        record.contains("\"src/app/com/y/Main.java\"") && record.contains("\"src/core/com/x/Shape.java\""),
        "{record}"
    );
}

#[test]
fn vs_code_project_uses_its_bin_and_lib_jars() {
    let p = TestProject::empty();
    p.write("src/app/Main.java", USES_GREETER);
    greeter_jar(&p, "lib/deps/greeter.jar");
    p.write(
        ".vscode/settings.json",
        "{\n    // as VS Code's Java extension writes it\n    \"java.project.sourcePaths\": [\"src\"],\n    \
         \"java.project.outputPath\": \"bin\",\n    \"java.project.referencedLibraries\": [\n        \"lib/**/*.jar\",\n    ],\n}\n",
    );
    let out = p.jbuild(&["-v", "run", "app.Main"]).run();
    out.success()
        .stdout_is("Hello, jbuild!\n")
        .stderr_has("Output bin/ (.vscode/settings.json, shared with the IDE)")
        .stderr_has("Jars lib/deps/greeter.jar (.vscode/settings.json)");
    assert!(p.exists("bin/app/Main.class"));
    assert!(!p.exists("classes"), "no second output folder beside the IDE's");
}

#[test]
fn eclipse_project_from_its_classpath_file() {
    let p = bare();
    p.write("source/app/Main.java", USES_GREETER);
    greeter_jar(&p, "jars/greeter.jar");
    p.write(
        ".classpath",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<classpath>\n\t<classpathentry kind=\"src\" path=\"source\"/>\n\t\
         <classpathentry kind=\"con\" path=\"org.eclipse.jdt.launching.JRE_CONTAINER\"/>\n\t\
         <classpathentry kind=\"lib\" path=\"jars/greeter.jar\"/>\n\t<classpathentry kind=\"output\" path=\"bin\"/>\n</classpath>\n",
    );
    p.jbuild_in("source/app", &["run", "app.Main"]).run().success().stdout_is("Hello, jbuild!\n");
    assert!(p.exists("bin/app/Main.class"));
    // Code the project excludes (`excluding="old/|**/Draft*.java"`) is not compiled, as in Eclipse.
    p.write("source/old/Broken.java", "package old;\nclass Broken { this does not compile }\n");
    p.write("source/app/DraftIdea.java", "package app;\nclass DraftIdea { nor this }\n");
    let classpath = p.read(".classpath").replace(
        "<classpathentry kind=\"src\" path=\"source\"/>",
        "<classpathentry excluding=\"old/|**/Draft*.java\" kind=\"src\" path=\"source\"/>",
    );
    p.write(".classpath", &classpath);
    p.jbuild(&["compile"]).run().success();
    p.jbuild(&["list", "--all"]).run().success().stdout_lacks("Broken").stdout_lacks("DraftIdea");
    // A .classpath jbuild cannot read is a note, and the defaults apply.
    p.write(".classpath", "<classpath><classpathentry kind=\"src\" path=\"source\"></classpath>");
    let out = p.jbuild(&["-v", "compile"]).run();
    out.code(1)
        .stderr_has("Note ignoring .classpath: not XML jbuild understands")
        .stderr_lacks("jbuild: error: ignoring");
}

#[test]
fn intellij_module_uses_out_production() {
    let p = TestProject::empty();
    p.write("src/app/Main.java", USES_GREETER);
    greeter_jar(&p, "libs/greeter.jar");
    p.write(
        "project.iml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<module type=\"JAVA_MODULE\" version=\"4\">\n  \
         <component name=\"NewModuleRootManager\" inherit-compiler-output=\"true\">\n    <exclude-output />\n    \
         <content url=\"file://$MODULE_DIR$\">\n      <sourceFolder url=\"file://$MODULE_DIR$/src\" isTestSource=\"false\" />\n    \
         </content>\n    <orderEntry type=\"inheritedJdk\" />\n    <orderEntry type=\"module-library\">\n      \
         <library><CLASSES><root url=\"jar://$MODULE_DIR$/libs/greeter.jar!/\" /></CLASSES></library>\n    </orderEntry>\n  \
         </component>\n</module>\n",
    );
    p.write(
        ".idea/misc.xml",
        "<project version=\"4\">\n  <component name=\"ProjectRootManager\" version=\"2\" project-jdk-name=\"17\">\n    \
         <output url=\"file://$PROJECT_DIR$/out\" />\n  </component>\n</project>\n",
    );
    p.jbuild(&["run", "app.Main"]).run().success().stdout_is("Hello, jbuild!\n");
    assert!(p.exists("out/production/project/app/Main.class"));
}

#[test]
fn class_files_the_ide_wrote_are_never_deleted() {
    let p = TestProject::empty();
    p.write(
        "src/app/Main.java",
        "package app;\n\npublic class Main {\n    public static void main(String[] a) { Helper.help(); }\n}\n",
    );
    p.write(
        "src/app/Helper.java",
        "package app;\n\nclass Helper {\n    static void help() { System.out.println(\"helped\"); }\n}\n",
    );
    p.write(".vscode/settings.json", "{\"java.project.sourcePaths\": [\"src\"], \"java.project.outputPath\": \"bin\"}");
    // What the IDE compiled before: a class jbuild has no source for, and
    // its own build of Helper.
    p.write("bin/app/Generated.class", "the IDE's bytes");
    p.write("bin/app/Helper.class", "the IDE's older Helper");
    p.jbuild(&["run", "app.Main"]).run().success().stdout_is("helped\n");
    assert_eq!(p.read("bin/app/Generated.class"), "the IDE's bytes");

    // Helper's source goes: jbuild removes the Helper.class it wrote...
    std::fs::remove_file(p.path("src/app/Helper.java")).unwrap();
    p.write(
        "src/app/Main.java",
        "package app;\n\npublic class Main {\n    public static void main(String[] a) {}\n}\n",
    );
    p.jbuild(&["compile"]).run().success().stderr_has("Removed 1 stale class file");
    assert!(!p.exists("bin/app/Helper.class"));
    assert_eq!(p.read("bin/app/Generated.class"), "the IDE's bytes", "never a file jbuild did not write");

    // ...and the IDE rebuilding Main.class makes it the IDE's again.
    p.write("bin/app/Main.class", "rebuilt by the IDE");
    p.jbuild(&["clean"]).run().success().stderr_has("left app/Main.class in place");
    assert_eq!(p.read("bin/app/Main.class"), "rebuilt by the IDE");
    assert_eq!(p.read("bin/app/Generated.class"), "the IDE's bytes");
}

#[test]
fn build_files_with_dependencies_name_them() {
    let p = maven();
    let pom = p.read("pom.xml").replace(
        "  </dependencies>",
        "    <dependency><groupId>com.acme</groupId><artifactId>greeter</artifactId><version>1.2</version></dependency>\n  \
         </dependencies>",
    );
    p.write("pom.xml", &pom);
    p.write(
        "src/main/java/com/x/Hi.java",
        &USES_GREETER.replace("package app;", "package com.x;").replace("class Main", "class Hi"),
    );
    let out = p.jbuild(&["compile"]).run();
    out.code(2)
        .stderr_has(
            "pom.xml needs a dependency that jbuild does not download: com.acme:greeter:1.2; put its jar in lib/ \
             (e.g. lib/greeter-1.2.jar), or build with Maven (`mvn package`)",
        )
        .stderr_lacks("does not exist");
    greeter_jar(&p, "lib/greeter-1.2.jar");
    p.jbuild(&["run", "com.x.Hi"]).run().success().stdout_is("Hello, jbuild!\n");

    let g = TestProject::empty();
    g.write(
        "src/app/Main.java",
        "package app;\n\npublic class Main {\n    public static void main(String[] a) {}\n}\n",
    );
    g.write(
        "build.gradle",
        "plugins { id 'java' }\n\ndependencies {\n    implementation 'com.google.guava:guava:33.0-jre'\n    \
         testImplementation 'org.junit.jupiter:junit-jupiter:5.10.2'\n}\n",
    );
    g.jbuild(&["run"])
        .run()
        .code(2)
        .stderr_has("build.gradle needs a dependency that jbuild does not download: com.google.guava:guava:33.0-jre");
    g.write("build.gradle", "dependencies {\n    testImplementation(\"org.junit.jupiter:junit-jupiter:5.10.2\")\n}\n");
    g.jbuild(&["run"]).run().success();
}

/// jbuild with no JDK named by the environment: `JAVA_HOME`, the
/// `JAVA_HOME_<N>_<ARCH>` variables and the home folder's JDKs kept out.
fn without_named_jdks(jbuild: Jbuild, home: &Path) -> Jbuild {
    let mut jbuild = jbuild.env_remove("JAVA_HOME").env_remove("SDKMAN_CANDIDATES_DIR").env("HOME", home);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("JAVA_HOME_") {
            jbuild = jbuild.env_remove(&name.to_string_lossy());
        }
    }
    jbuild
}

#[test]
#[cfg_attr(not(jbuild_jdk25), ignore = "needs a JDK 25 under /usr/lib/jvm")]
fn jdk_setting_selects_an_installed_jdk() {
    let p = bare();
    p.write("Hello.java", "void main() {\n    IO.println(\"compact on \" + Runtime.version().feature());\n}\n");
    p.write("jbuild.toml", "jdk = 25\n");
    let home = tempfile::tempdir().unwrap();
    let out = without_named_jdks(p.jbuild(&["-v", "run", "Hello"]), home.path()).run();
    out.success().stdout_is("compact on 25\n").stderr_has("(from /usr/lib/jvm; the `jdk = 25` setting)");
    assert!(out.stderr.contains("JDK 25"), "{}", out.stderr);

    // setup-java's variables come before /usr/lib/jvm.
    let jdk25 = crate::support::jdk_at_least(25).expect("a JDK 25 (found when the tests were built)");
    let out = without_named_jdks(p.jbuild(&["-v", "run", "Hello"]), home.path()).env("JAVA_HOME_25_X64", &jdk25).run();
    out.success().stderr_has("(from JAVA_HOME_25_X64; the `jdk = 25` setting)");

    // Without the setting, a JDK 17 default says which JDK 25 it found,
    // and a `release` newer than the default selects a newer JDK.
    std::fs::remove_file(p.path("jbuild.toml")).unwrap();
    let default = without_named_jdks(p.jbuild(&["doctor", "--format", "json"]), home.path()).run();
    let report: serde_json::Value = serde_json::from_str(&default.stdout).unwrap();
    if report["selected_jdk"]["version"].as_str().is_some_and(|v| v.starts_with("17")) {
        let out = without_named_jdks(p.jbuild(&["run", "Hello"]), home.path()).run();
        out.code(2)
            .stderr_has("jbuild found JDK 25")
            .stderr_has("/usr/lib/jvm/")
            .stderr_has("select it with `jdk = 25`");
        p.write("jbuild.toml", "release = 25\n");
        let out = without_named_jdks(p.jbuild(&["-v", "run", "Hello"]), home.path()).run();
        out.success().stdout_is("compact on 25\n").stderr_has("`release = 25` is newer than the default JDK 17");
    }
}

#[test]
fn a_java_version_no_installed_jdk_has_is_a_warning_not_an_error() {
    let p = maven();
    let pom = p.read("pom.xml").replace(
        "<modelVersion>4.0.0</modelVersion>",
        "<modelVersion>4.0.0</modelVersion>\n  <properties><maven.compiler.release>99</maven.compiler.release></properties>",
    );
    p.write("pom.xml", &pom);
    let out = p.jbuild(&["run", "com.x.App"]).run();
    out.success().stdout_is("Hello from a resource 42\n").stderr_has(
        "pom.xml (maven.compiler.release 99) asks for Java 99, and no JDK here has it: compiling with the default JDK",
    );
    p.jbuild(&["doctor"]).run().success().stdout_has("asks for Java 99");
}

#[test]
#[cfg_attr(not(jbuild_jdk25), ignore = "needs a JDK 25 under /usr/lib/jvm")]
fn the_java_version_an_ide_project_names_selects_a_jdk_that_has_it() {
    let p = bare();
    // Record patterns: Java 21. Eclipse's project says JavaSE-21.
    p.write(
        "src/shapes/Main.java",
        "package shapes;\n\npublic class Main {\n    record Square(int side) {}\n    \
         public static void main(String[] args) {\n        Object o = new Square(3);\n        \
         if (o instanceof Square(int side)) System.out.println(\"area \" + side * side);\n    }\n}\n",
    );
    p.write(
        ".classpath",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<classpath>\n  <classpathentry kind=\"src\" path=\"src\"/>\n  \
         <classpathentry kind=\"con\" path=\"org.eclipse.jdt.launching.JRE_CONTAINER/\
         org.eclipse.jdt.internal.debug.ui.launcher.StandardVMType/JavaSE-21\"/>\n  \
         <classpathentry kind=\"output\" path=\"bin\"/>\n</classpath>\n",
    );
    let home = tempfile::tempdir().unwrap();
    let out = without_named_jdks(p.jbuild(&["-v", "run", "shapes.Main"]), home.path()).run();
    out.success().stdout_is("area 9\n");
    let default = without_named_jdks(p.jbuild(&["doctor", "--format", "json"]), home.path()).run();
    let report: serde_json::Value = serde_json::from_str(&default.stdout).unwrap();
    let feature = |version: &str| version.split('.').next().and_then(|f| f.parse::<u32>().ok()).unwrap_or(0);
    let selected = report["selected_jdk"]["version"].as_str().unwrap_or_default();
    assert!(feature(selected) >= 21, "{}", default.stdout);
    // When the default JDK (PATH) is older, the choice is explained.
    let javac = Command::new("javac").arg("-version").output().unwrap();
    let default_version = String::from_utf8_lossy(&javac.stdout).replace("javac ", "");
    if feature(default_version.trim()) < 21 {
        out.stderr_has(".classpath (JavaSE-21) asks for Java 21, newer than the default JDK");
    }
}

#[test]
fn a_jdk_nobody_has_is_a_clear_error() {
    let p = TestProject::sample();
    let home = tempfile::tempdir().unwrap();
    p.write("jbuild.toml", "jdk = 98\n");
    without_named_jdks(p.jbuild(&["compile"]), home.path())
        .run()
        .code(2)
        .stderr_has("the `jdk = 98` setting needs JDK 98, and no installed JDK has it (found: ");
    p.write("jbuild.toml", "jdk = \"twenty\"\n");
    p.jbuild(&["compile"]).run().code(2).stderr_has("setting `jdk`").stderr_has("\"twenty\" is not a JDK version");
    p.write("jbuild.toml", "jdk = 17\nrelease = 21\n");
    p.jbuild(&["compile"]).run().code(2).stderr_has("JDK 17 cannot compile for `release = 21`");
}

/// `jbuild doctor`'s text with the temp root and this machine's JDKs,
/// JUnit jar, cache and daemon replaced by placeholders.
fn redacted(out: &Outcome, root: &Path) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in out.stdout.replace(&root.display().to_string(), "[ROOT]").lines() {
        let label = line.split_whitespace().next().unwrap_or_default();
        let line = if ["JDKs", "selected", "JUnit", "cache", "daemon"].contains(&label) {
            format!("{label:<11} [MACHINE]")
        } else {
            line.to_owned()
        };
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn doctor_explains_the_layout_and_the_problems() {
    let p = maven();
    let out = p.jbuild(&["doctor"]).run();
    out.success();
    assert_eq!(
        redacted(&out, &p.root),
        "project     [ROOT] (it has a src/ folder)\n\
         sources     src/main/java/ (Maven's layout)\n\
         tests       src/test/java/ (Maven's layout)\n\
         resources   src/main/resources/ (Maven's layout)\n\
         java files  2\n\
         output      classes/ (jbuild's default)\n\
         jars        none\n\
         build file  pom.xml (org.junit.jupiter:junit-jupiter:5.10.2)\n\
         JDKs        [MACHINE]\n\
         selected    [MACHINE]\n\
         JUnit       [MACHINE]\n\
         cache       [MACHINE]\n\
         daemon      [MACHINE]\n\
         \n\
         jbuild can build here.\n"
    );

    p.write("src/main/java/com/x/Helper.java", "package com.y;\n\nclass Helper {}\n");
    p.write("src/Old.java", "package com.x;\n\nclass Old {}\n");
    let out = p.jbuild_in("src/main/java/com", &["doctor"]).run();
    out.code(1);
    let text = redacted(&out, &p.root);
    assert!(
        text.ends_with(
            "warning     src/Old.java: lies outside the source roots, so jbuild does not compile it; to compile it, \
             move it to src/main/java/com/x/\n\
             problem     src/main/java/com/x/Helper.java: declares `package com.y;`, but its folder means \
             `package com.x;` (source root src/main/java); change its package line to `package com.x;` or move it \
             to src/main/java/com/y/\n\
             \n\
             jbuild cannot build here until the problems above are fixed.\n"
        ),
        "{text}"
    );

    let json = p.jbuild(&["doctor", "--format", "json"]).run();
    json.code(1);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["format_version"], 1);
    assert_eq!(report["can_build"], false);
    assert_eq!(report["project"]["roots"][0]["kind"], "main");
    assert_eq!(report["project"]["roots"][0]["path"], p.path("src/main/java").display().to_string());
    assert_eq!(report["problems"].as_array().unwrap().len(), 1);
    assert!(report["jdks"].as_array().is_some_and(|jdks| !jdks.is_empty()));

    let nowhere = tempfile::tempdir().unwrap();
    Jbuild::new(nowhere.path()).args(&["doctor"]).run().code(1).stdout_has("problem     no Java project found");
}

#[test]
fn folders_of_java_files_named_from_above_are_projects() {
    let p = bare();
    for ex in ["ex1", "ex2"] {
        p.write(
            &format!("{ex}/Main.java"),
            &format!(
                "public class Main {{ public static void main(String[] a) {{ System.out.println(\"{ex}\"); }} }}\n"
            ),
        );
    }
    p.write(
        "more/h2/src/hello/Main.java",
        "package hello;\npublic class Main { public static void main(String[] a) { System.out.println(\"h2\"); } }\n",
    );
    // Above the exercises, where no project is: each folder named is one.
    p.jbuild(&["compile", "ex1", "ex2"]).run().success();
    assert!(p.exists("ex1/classes/Main.class") && p.exists("ex2/classes/Main.class"));
    // A file's project is found from the file, as javac and java would.
    p.jbuild(&["run", "ex2/Main.java"]).run().success().stdout_is("ex2\n");
    p.jbuild_in("more", &["run", "h2/src/hello/Main.java"]).run().success().stdout_is("h2\n");
    p.jbuild_in("more", &["compile", "h2/src/hello/Main.java"]).run().success();
    // A folder of Java files named to check is a project (without cases here).
    p.jbuild(&["check", "ex1"]).run().code(2).stderr_has("no check cases found in 1 project");
    // Nothing named: the message says what makes a project.
    bare().jbuild(&["check"]).run().code(2).stderr_has("Java files beside tests/ or test/");
}

#[test]
fn vs_code_settings_naming_java_sources_make_a_project() {
    let p = bare();
    p.write(
        ".vscode/settings.json",
        r#"{ "java.project.sourcePaths": ["app/src"], "java.project.outputPath": "bin" }"#,
    );
    p.write(
        "app/src/shop/Till.java",
        "package shop;\npublic class Till { public static void main(String[] a) { System.out.println(\"till\"); } }\n",
    );
    p.jbuild(&["run"]).run().success().stdout_is("till\n");
    assert!(p.exists("bin/shop/Till.class"));
    // Settings of another kind do not make a project.
    let other = bare();
    other.write(".vscode/settings.json", r#"{ "editor.tabSize": 4 }"#);
    other.jbuild(&["run"]).run().code(2).stderr_has("no Java project found");
}

#[test]
fn package_folders_at_the_top_of_a_repository_are_a_project() {
    // No src/, no build file: `Arithmetic/Main.java` declaring `package Arithmetic;`.
    let p = bare();
    p.write(
        "Arithmetic/Main.java",
        "package Arithmetic;\n\npublic class Main {\n    public static void main(String[] a) { \
         System.out.println(Arithmetic.sum(2, 3)); }\n}\n",
    );
    p.write(
        "Arithmetic/Arithmetic.java",
        "package Arithmetic;\n\npublic class Arithmetic {\n    static int sum(int a, int b) { return a + b; }\n}\n",
    );
    p.jbuild(&["run", "Arithmetic.Main"]).run().success().stdout_is("5\n");
    // From inside the package folder too, by class, by file, or alone: the root stays above it.
    p.jbuild_in("Arithmetic", &["run"]).run().success().stdout_is("5\n");
    p.jbuild_in("Arithmetic", &["run", "Main.java"]).run().success().stdout_is("5\n");
    assert!(p.exists("classes/Arithmetic/Main.class"));
    assert!(!p.exists("Arithmetic/classes"), "no second output folder inside the package");
}

#[test]
fn files_beside_the_sources_are_copied_as_the_ides_copy_them() {
    let p = TestProject::empty();
    p.write(
        "src/game/Main.java",
        "package game;\n\npublic class Main {\n    public static void main(String[] a) throws Exception {\n        \
         try (var in = Main.class.getResourceAsStream(\"/images/level1.txt\")) {\n            \
         System.out.println(in == null ? \"missing\" : new String(in.readAllBytes()).trim());\n        }\n    }\n}\n",
    );
    p.write("src/images/level1.txt", "three ghosts\n");
    p.write("src/.hidden/notes.txt", "not copied\n");
    let out = p.jbuild(&["run", "game.Main"]).run();
    out.success().stdout_is("three ghosts\n").stderr_has("Copied 1 resource file");
    assert!(!p.exists("classes/game/Main.java") && !p.exists("classes/.hidden"));
    // Removed with the rest of what jbuild wrote.
    p.jbuild(&["clean"]).run().success();
    assert!(!p.exists("classes/images/level1.txt"));

    // Under Maven's folders, only src/main/resources is copied, as Maven does.
    let m = maven();
    m.write("src/main/java/com/x/notes.txt", "not a resource under Maven\n");
    m.jbuild(&["compile"]).run().success();
    assert!(m.exists("classes/greeting.txt") && !m.exists("classes/com/x/notes.txt"));
}

#[test]
fn sources_javac_will_refuse_are_named_by_doctor_and_by_the_failed_compile() {
    let p = TestProject::sample();
    // Saved as Windows-1252 by an older editor: "eleição" in a comment.
    std::fs::write(p.path("src/sample01/Vote.java"), b"package sample01;\n// elei\xe7\xe3o\npublic class Vote {}\n")
        .unwrap();
    p.write("src/sample01/number.java", "package sample01;\npublic class Number {}\n");
    p.write("src/sample01/Bom.java", "\u{feff}package sample01;\nclass Bom {}\n");
    let out = p.jbuild(&["doctor"]).run();
    out.code(1)
        .stdout_has("src/sample01/Bom.java starts with a byte order mark (BOM)")
        .stdout_has("src/sample01/Vote.java is not UTF-8")
        .stdout_has("src/sample01/Number.java and src/sample01/number.java both declare `sample01.Number`");
    std::fs::remove_file(p.path("src/sample01/number.java")).unwrap();
    std::fs::remove_file(p.path("src/sample01/Bom.java")).unwrap();
    let out = p.jbuild(&["compile"]).run();
    out.code(1).stderr_has("unmappable character").stderr_has("Hint").stderr_has(
        "src/sample01/Vote.java is not UTF-8 (older Windows editors saved Windows-1252): convert with `iconv",
    );
    p.write("jbuild.toml", "encoding = \"windows-1252\"\n");
    p.jbuild(&["compile"]).run().success();
}

#[test]
fn a_resource_copy_never_replaces_a_file_jbuild_did_not_write() {
    let p = TestProject::sample();
    p.write("src/sample01/data.txt", "from the sources\n");
    p.write("classes/sample01/data.txt", "the user's own\n");
    let out = p.jbuild(&["compile"]).run();
    out.success().stderr_has("not copying sample01/data.txt").stderr_has("a file jbuild did not write is in the way");
    assert_eq!(p.read("classes/sample01/data.txt"), "the user's own\n");
    p.jbuild(&["clean"]).run().success();
    assert_eq!(p.read("classes/sample01/data.txt"), "the user's own\n", "clean leaves it too");
    // Once it is gone, the copy is jbuild's, kept up to date, and cleaned.
    std::fs::remove_file(p.path("classes/sample01/data.txt")).unwrap();
    p.jbuild(&["compile"]).run().success();
    assert_eq!(p.read("classes/sample01/data.txt"), "from the sources\n");
    p.write("src/sample01/data.txt", "edited\n");
    p.jbuild(&["compile"]).run().success();
    assert_eq!(p.read("classes/sample01/data.txt"), "edited\n");
    p.jbuild(&["clean"]).run().success();
    assert!(!p.exists("classes/sample01/data.txt"));
}

#[test]
fn resources_copied_before_a_failed_compile_are_still_jbuilds() {
    let p = TestProject::sample();
    p.write("src/sample01/data.txt", "data\n");
    p.write("src/sample01/Broken.java", "package sample01;\nclass Broken { oops }\n");
    p.jbuild(&["compile"]).run().code(1);
    assert_eq!(p.read("classes/sample01/data.txt"), "data\n");
    std::fs::remove_file(p.path("src/sample01/Broken.java")).unwrap();
    p.jbuild(&["compile"]).run().success();
    p.jbuild(&["clean"]).run().success();
    assert!(!p.exists("classes/sample01/data.txt"), "the copy is jbuild's: clean removes it");
}
