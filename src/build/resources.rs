//! Resource folders (Maven's `src/main/resources`, an IDE's resource
//! folders) copied into the output folder, so `getResource` finds them on
//! the class path as it would in the jar Maven builds.
//!
//! A copy is one of jbuild's outputs like a class file: written only into
//! real folders of the output folder (by renaming a temp file, so a symlink
//! planted there is replaced, never written through), recorded with its
//! fingerprint, and removed only while still as jbuild wrote it. A file
//! already there with the same bytes (the IDE's own copy) stays its owner's.

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::{Context as _, Result};

use super::outputs::{create_real_folders, is_resource_key, remove_owned_files};
use super::record::{BuildRecord, OutputFile, ResourceCopy, hash_file, key_of};
use crate::term::{Status, count};

/// Files of a source root that are not copied with its resources: sources
/// of any JVM language and IDE files, as IntelliJ's resource patterns leave
/// them out. Hidden files and anything in the output folder are not either.
const NOT_RESOURCES: [&str; 10] = ["java", "class", "form", "kt", "groovy", "scala", "aj", "clj", "launch", "iml"];

/// Most files copied from the resource folders.
const MAX_RESOURCES: usize = 20_000;

/// Brings the copies in `classes` in line with the resource folders,
/// updating `record`. Returns whether anything changed.
/// `source_roots` are main source roots whose files other than sources
/// are copied too.
pub fn sync(
    roots: &[&Path],
    source_roots: &[(&Path, Vec<PathBuf>)],
    classes: &Path,
    record: &mut BuildRecord,
    status: &Status,
) -> Result<bool> {
    if roots.is_empty() && source_roots.is_empty() && record.resources.is_empty() {
        return Ok(false);
    }
    let mut wanted = resource_files(roots, status);
    for (root, files) in source_roots {
        for relative in files {
            let extension = relative.extension().and_then(|e| e.to_str()).unwrap_or_default();
            let hidden = relative.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            let key = key_of(relative);
            if hidden
                || NOT_RESOURCES.contains(&extension)
                || crate::project::is_inside(classes, &root.join(relative))
                || !is_resource_key(&key)
                || relative.to_str().is_none()
            {
                continue;
            }
            if wanted.len() >= MAX_RESOURCES {
                status.warning(format_args!("copying only the first {MAX_RESOURCES} resource files"));
                break;
            }
            wanted.entry(key).or_insert_with(|| root.join(relative));
        }
    }
    let mut changed = false;
    let mut copied = 0;
    let mut in_the_way = Vec::new();
    for (key, source) in &wanted {
        let meta = std::fs::metadata(source).with_context(|| format!("reading {}", source.display()))?;
        let mtime_ns = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        let destination = classes.join(key);
        if let Some(known) = record.resources.get(key)
            && known.source_size == meta.len()
            && known.source_mtime_ns == mtime_ns
            && std::fs::symlink_metadata(&destination).is_ok_and(|d| d.is_file() && d.len() == known.output.size)
        {
            continue;
        }
        let output = OutputFile { size: meta.len(), hash: hash_file(source)? };
        let there = std::fs::symlink_metadata(&destination);
        let same_there = there.as_ref().is_ok_and(|d| d.is_file() && d.len() == output.size)
            && hash_file(&destination).is_ok_and(|hash| hash == output.hash);
        // Something else at the copy's place is replaced only when it is
        // jbuild's earlier copy, unchanged since: never a user's or an IDE's file.
        let ours_unchanged = record.resources.get(key).is_some_and(|known| {
            known.owned
                && there.as_ref().is_ok_and(|d| d.is_file() && d.len() == known.output.size)
                && hash_file(&destination).is_ok_and(|hash| hash == known.output.hash)
        });
        if there.is_ok() && !same_there && !ours_unchanged {
            in_the_way.push(crate::term::relative(classes, &destination));
            continue;
        }
        let owned = if same_there {
            // Ours if we wrote it before; else the IDE's, left to it.
            record.resources.get(key).is_some_and(|known| known.owned && known.output == output)
        } else {
            install(source, classes, key)?;
            copied += 1;
            true
        };
        record
            .resources
            .insert(key.clone(), ResourceCopy { source_size: meta.len(), source_mtime_ns: mtime_ns, output, owned });
        changed = true;
    }
    let gone: Vec<String> = record.resources.keys().filter(|key| !wanted.contains_key(*key)).cloned().collect();
    if !gone.is_empty() {
        let stale: BTreeMap<String, OutputFile> = gone
            .iter()
            .filter_map(|key| {
                record.resources.remove(key).filter(|copy| copy.owned).map(|copy| (key.clone(), copy.output))
            })
            .collect();
        let removal = remove_owned_files(classes, &stale, is_resource_key)?;
        if !removal.kept.is_empty() {
            status.warning(format_args!(
                "left {} in place: changed since jbuild copied {}",
                removal.kept.join(", "),
                if removal.kept.len() == 1 { "it" } else { "them" }
            ));
        }
        changed = true;
    }
    if copied > 0 {
        status.line("Copied", count(copied, "resource file"));
    }
    if !in_the_way.is_empty() {
        status.warning(format_args!(
            "not copying {} into {}: a file jbuild did not write is in the way (move it, and jbuild copies \
             the resource)",
            in_the_way.join(", "),
            classes.display()
        ));
    }
    Ok(changed)
}

/// Every regular file of the resource folders by its key in the output
/// folder; the first folder wins a name. Symlinks, hidden files (`.gitkeep`)
/// and class files are skipped.
fn resource_files(roots: &[&Path], status: &Status) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for root in roots {
        let walker = walkdir::WalkDir::new(root).min_depth(1).sort_by_file_name().into_iter();
        for entry in walker.filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.')).filter_map(Result::ok) {
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry.path().strip_prefix(root).expect("walk stays under its root");
            let key = key_of(relative);
            if !is_resource_key(&key) || relative.to_str().is_none() {
                continue;
            }
            if files.len() >= MAX_RESOURCES {
                status.warning(format_args!("copying only the first {MAX_RESOURCES} resource files"));
                return files;
            }
            files.entry(key).or_insert_with(|| entry.path().to_path_buf());
        }
    }
    files
}

/// Copies `source` to `classes/key` through a temp file renamed into place.
fn install(source: &Path, classes: &Path, key: &str) -> Result<()> {
    let relative = Path::new(key);
    let folder = relative.parent().unwrap_or(Path::new(""));
    create_real_folders(classes, folder)?;
    let dir = classes.join(folder);
    let mut temp = tempfile::NamedTempFile::new_in(&dir).with_context(|| format!("writing in {}", dir.display()))?;
    let mut input = std::fs::File::open(source).with_context(|| format!("reading {}", source.display()))?;
    std::io::copy(&mut input, &mut temp).with_context(|| format!("copying {}", source.display()))?;
    temp.flush()?;
    // Readable like the class files beside it (a temp file starts private).
    temp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    let destination = classes.join(relative);
    temp.persist(&destination).with_context(|| format!("writing {}", destination.display()))?;
    Ok(())
}
