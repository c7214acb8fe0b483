//! /proc/<pid>/smaps: parsing the text, and turning the VMAs that intersect
//! the window into the scenario format's VMA records.

use serde::Serialize;

use crate::window::{PAGE_SIZE, WINDOW_BASE, WINDOW_PAGES};

/// One VMA as smaps prints it (addresses in bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmapsVma {
    pub start: u64,
    pub end: u64,
    pub perms: String,
    pub offset: u64,
    pub path: String,
    pub flags: Vec<String>,
}

/// The name smaps gives a shared anonymous mapping's shmem file.
pub const SHMEM_ANON_PATH: &str = "/dev/zero (deleted)";

/// A VMA record of the scenario format (key order is the format's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vma {
    pub start: u64,
    pub end: u64,
    pub perms: String,
    pub anon: bool,
    pub backing: &'static str,
    pub file: Option<String>,
    pub pgoff: Option<u64>,
    pub flags: Vec<String>,
}

/// `start-end perms offset dev inode [path]`: the path is the rest of the
/// line after the inode and may contain spaces.
fn parse_header(line: &str) -> Option<SmapsVma> {
    let mut rest = line;
    let mut fields = [""; 5];
    for field in &mut fields {
        rest = rest.trim_start_matches(' ');
        let end = rest.find(' ').unwrap_or(rest.len());
        *field = &rest[..end];
        rest = &rest[end..];
    }
    let (start, end) = fields[0].split_once('-')?;
    let start = u64::from_str_radix(start, 16).ok()?;
    let end = u64::from_str_radix(end, 16).ok()?;
    let offset = u64::from_str_radix(fields[2], 16).ok()?;
    if fields[1].len() != 4 || end <= start || fields[4].is_empty() {
        return None;
    }
    Some(SmapsVma {
        start,
        end,
        perms: fields[1].to_string(),
        offset,
        path: rest.trim_start_matches(' ').to_string(),
        flags: Vec::new(),
    })
}

pub fn parse_smaps(text: &str) -> Result<Vec<SmapsVma>, String> {
    let mut vmas: Vec<SmapsVma> = Vec::new();
    for line in text.lines() {
        if let Some(flags) = line.strip_prefix("VmFlags:") {
            let vma = vmas
                .last_mut()
                .ok_or("VmFlags line before any VMA header")?;
            vma.flags = flags.split_whitespace().map(str::to_string).collect();
        } else if line
            .split_once(':')
            .is_some_and(|(key, _)| !key.contains(' ') && !key.contains('-'))
        {
            // A `Key: value` statistics line of the current VMA.
        } else if let Some(vma) = parse_header(line) {
            vmas.push(vma);
        } else {
            return Err(format!("unrecognised smaps line: {line:?}"));
        }
    }
    Ok(vmas)
}

/// The VMAs intersecting the window, clipped to it, in page units relative to
/// the window base. `files` maps the paths of the scenario's files to labels.
pub fn window_vmas(vmas: &[SmapsVma], files: &[(String, String)]) -> Result<Vec<Vma>, String> {
    let window_end = WINDOW_BASE + WINDOW_PAGES * PAGE_SIZE;
    let mut out = Vec::new();
    for vma in vmas
        .iter()
        .filter(|v| v.end > WINDOW_BASE && v.start < window_end)
    {
        let start = vma.start.max(WINDOW_BASE);
        let end = vma.end.min(window_end);
        let clipped_pages = (start - vma.start) / PAGE_SIZE;
        let pgoff = Some(vma.offset / PAGE_SIZE + clipped_pages);
        let (backing, file, pgoff) = if vma.path.is_empty() {
            ("anon", None, None)
        } else if vma.path == SHMEM_ANON_PATH {
            ("shmem_anon", None, pgoff)
        } else if let Some((label, _)) = files.iter().find(|(_, path)| *path == vma.path) {
            ("file", Some(label.clone()), pgoff)
        } else {
            return Err(format!(
                "a VMA in the window maps {:?}, which the scenario did not create",
                vma.path
            ));
        };
        out.push(Vma {
            start: (start - WINDOW_BASE) / PAGE_SIZE,
            end: (end - WINDOW_BASE) / PAGE_SIZE,
            perms: vma.perms.clone(),
            anon: backing == "anon",
            backing,
            file,
            pgoff,
            flags: vma.flags.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Shape of a 6.18 smaps entry (fs/proc/task_mmu.c show_smap): header,
    // statistics lines, then VmFlags last.
    const SAMPLE: &str = "\
1ffffffff000-200000002000 rw-p 00000000 00:00 0 
Size:                 12 kB
KernelPageSize:        4 kB
THPeligible:           0
VmFlags: rd wr mr mw me ac 
200000003000-200000004000 rw-s 00002000 00:01 2055                       /dev/zero (deleted)
Size:                  4 kB
VmFlags: rd wr sh mr mw me ms 
200000004000-200000006000 r--p 00001000 fe:00 131                        /tmp/kp-x/file0
Size:                  8 kB
VmFlags: rd mr mw me 
7ffd0000000-7ffd0001000 r--p 00000000 00:00 0                          [vvar]
VmFlags: rd mr pf io de dd 
";

    #[test]
    fn parses_headers_paths_with_spaces_and_flags() {
        let vmas = parse_smaps(SAMPLE).unwrap();
        assert_eq!(vmas.len(), 4);
        assert_eq!(vmas[0].start, 0x1fff_ffff_f000);
        assert_eq!(vmas[0].path, "");
        assert_eq!(vmas[0].flags, ["rd", "wr", "mr", "mw", "me", "ac"]);
        assert_eq!(vmas[1].path, SHMEM_ANON_PATH);
        assert_eq!(vmas[1].offset, 0x2000);
        assert_eq!(vmas[1].perms, "rw-s");
        assert_eq!(vmas[2].path, "/tmp/kp-x/file0");
        assert_eq!(vmas[3].path, "[vvar]");
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_smaps("hello world\n").is_err());
        assert!(parse_smaps("VmFlags: rd\n").is_err());
    }

    #[test]
    fn clips_to_the_window_and_labels_backing() {
        let vmas = parse_smaps(SAMPLE).unwrap();
        let files = [("file0".to_string(), "/tmp/kp-x/file0".to_string())];
        let out = window_vmas(&vmas, &files).unwrap();
        assert_eq!(out.len(), 3);
        assert_eq!(
            (out[0].start, out[0].end, out[0].anon, out[0].pgoff),
            (0, 2, true, None)
        );
        assert_eq!(
            (
                out[1].backing,
                out[1].file.as_deref(),
                out[1].pgoff,
                out[1].anon
            ),
            ("shmem_anon", None, Some(2), false)
        );
        assert_eq!(
            (out[2].backing, out[2].file.as_deref(), out[2].pgoff),
            ("file", Some("file0"), Some(1))
        );
        assert_eq!(
            serde_json::to_string(&out[2]).unwrap(),
            r#"{"start":4,"end":6,"perms":"r--p","anon":false,"backing":"file","file":"file0","pgoff":1,"flags":["rd","mr","mw","me"]}"#
        );
        assert!(
            window_vmas(&vmas, &[]).is_err(),
            "an unknown file in the window is an error"
        );
    }
}
