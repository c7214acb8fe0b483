//! The scenario line format (packages/sim/scenarios/README.md): parsing and
//! validation into typed ops carrying the kernel's argument values.

use serde_json::{Map, Value};
use std::collections::HashSet;

use crate::window::WINDOW_PAGES;

/// Output keys a recorded corpus may already carry; they are recomputed.
pub const RESULT_KEYS: [&str; 3] = ["result", "fault_page", "ret_page"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRange {
    pub page: u64,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    CreateFile {
        file: String,
        pages: u64,
    },
    Open {
        fd: String,
        file: String,
        flags: i32,
    },
    Mmap {
        range: PageRange,
        prot: i32,
        flags: i32,
        fd: Option<String>,
        offset_pages: u64,
    },
    Munmap(PageRange),
    Mprotect(PageRange, i32),
    Mlock(PageRange),
    Mlock2Onfault(PageRange),
    Munlock(PageRange),
    Mseal(PageRange),
    Madvise(PageRange, i32),
    Mlockall(i32),
    Munlockall,
    Mremap {
        range: PageRange,
        new_pages: u64,
        flags: i32,
        new_page: Option<u64>,
    },
    Touch {
        range: PageRange,
        write: bool,
    },
    Fork,
}

#[derive(Debug)]
pub struct OpEntry {
    /// The op's input keys in input order, without any recorded results.
    pub input: Map<String, Value>,
    pub op: Op,
}

#[derive(Debug)]
pub struct Scenario {
    pub name: String,
    pub ops: Vec<OpEntry>,
}

const PROTS: [(&str, i32); 3] = [
    ("read", libc::PROT_READ),
    ("write", libc::PROT_WRITE),
    ("exec", libc::PROT_EXEC),
];

// include/uapi/linux/mman.h and include/uapi/asm-generic/mman*.h (x86 uses
// the generic values for all of these).
const MAP_TYPES: [(&str, i32); 4] = [
    ("private", 0x02),
    ("shared", 0x01),
    ("shared_validate", 0x03),
    ("droppable", 0x08),
];
const MAP_MODIFIERS: [(&str, i32); 8] = [
    ("anonymous", 0x20),
    ("fixed", 0x10),
    ("fixed_noreplace", 0x10_0000),
    ("noreserve", 0x4000),
    ("growsdown", 0x0100),
    ("locked", 0x2000),
    ("populate", 0x8000),
    ("stack", 0x2_0000),
];
const ADVICE: [(&str, i32); 23] = [
    ("normal", 0),
    ("random", 1),
    ("sequential", 2),
    ("willneed", 3),
    ("dontneed", 4),
    ("free", 8),
    ("remove", 9),
    ("dontfork", 10),
    ("dofork", 11),
    ("mergeable", 12),
    ("unmergeable", 13),
    ("hugepage", 14),
    ("nohugepage", 15),
    ("dontdump", 16),
    ("dodump", 17),
    ("wipeonfork", 18),
    ("keeponfork", 19),
    ("cold", 20),
    ("pageout", 21),
    ("populate_read", 22),
    ("populate_write", 23),
    ("guard_install", 102),
    ("guard_remove", 103),
];
const MCL_FLAGS: [(&str, i32); 3] = [("current", 1), ("future", 2), ("onfault", 4)];
const MREMAP_FLAGS: [(&str, i32); 3] = [("maymove", 1), ("fixed", 2), ("dontunmap", 4)];

pub fn parse_scenario(line: &str) -> Result<Scenario, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(mut top) = value else {
        return Err("a scenario must be a JSON object".into());
    };
    let name = match top.get("name") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err("`name` must be a non-empty string".into()),
    };
    top.shift_remove("vmas");
    if let Some(key) = top.keys().find(|k| *k != "name" && *k != "ops") {
        return Err(format!(
            "{name}: unknown key `{key}` (allowed: name, ops, vmas)"
        ));
    }
    let Some(Value::Array(raw_ops)) = top.shift_remove("ops") else {
        return Err(format!("{name}: `ops` must be an array"));
    };
    let mut fds = HashSet::new();
    let mut ops = Vec::with_capacity(raw_ops.len());
    for (i, raw) in raw_ops.into_iter().enumerate() {
        let Value::Object(mut input) = raw else {
            return Err(format!("{name}: op {i} must be an object"));
        };
        for key in RESULT_KEYS {
            input.shift_remove(key);
        }
        let op = parse_op(&input, &mut fds).map_err(|e| format!("{name}: op {i}: {e}"))?;
        ops.push(OpEntry { input, op });
    }
    Ok(Scenario { name, ops })
}

struct Fields<'a> {
    map: &'a Map<String, Value>,
}

impl Fields<'_> {
    fn only(&self, allowed: &[&str]) -> Result<(), String> {
        match self
            .map
            .keys()
            .find(|k| *k != "op" && !allowed.contains(&k.as_str()))
        {
            Some(key) => Err(format!(
                "unknown key `{key}` (allowed: op, {})",
                allowed.join(", ")
            )),
            None => Ok(()),
        }
    }

    fn u64(&self, key: &str) -> Result<u64, String> {
        self.map
            .get(key)
            .ok_or_else(|| format!("missing `{key}`"))?
            .as_u64()
            .ok_or_else(|| format!("`{key}` must be a non-negative integer"))
    }

    fn opt_u64(&self, key: &str) -> Result<Option<u64>, String> {
        if self.map.contains_key(key) {
            self.u64(key).map(Some)
        } else {
            Ok(None)
        }
    }

    fn str(&self, key: &str) -> Result<&str, String> {
        match self.map.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s),
            _ => Err(format!("`{key}` must be a non-empty string")),
        }
    }

    fn list(&self, key: &str) -> Result<Vec<&str>, String> {
        let Some(Value::Array(items)) = self.map.get(key) else {
            return Err(format!("`{key}` must be an array of strings"));
        };
        items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| format!("`{key}` must be an array of strings"))
            })
            .collect()
    }

    /// A page range inside the window: `pages` > 0 and `page + pages <= 2^20`.
    fn range(&self, page_key: &str, pages_key: &str) -> Result<PageRange, String> {
        let page = self.u64(page_key)?;
        let pages = self.u64(pages_key)?;
        check_range(page, pages, page_key, pages_key)?;
        Ok(PageRange { page, pages })
    }
}

fn check_range(page: u64, pages: u64, page_key: &str, pages_key: &str) -> Result<(), String> {
    if pages == 0 || pages > WINDOW_PAGES {
        return Err(format!(
            "`{pages_key}` must be in 1..={WINDOW_PAGES}, got {pages}"
        ));
    }
    if page >= WINDOW_PAGES || page + pages > WINDOW_PAGES {
        return Err(format!(
            "`{page_key}` {page} + `{pages_key}` {pages} leaves the window [0, {WINDOW_PAGES})"
        ));
    }
    Ok(())
}

/// ORs together the values of `words`, which must be distinct members of
/// `table` listed in the table's order.
fn ordered_bits(words: &[&str], table: &[(&str, i32)], key: &str) -> Result<i32, String> {
    let mut bits = 0;
    let mut next = 0;
    for word in words {
        let Some(at) = table.iter().position(|(name, _)| name == word) else {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "`{key}`: unknown `{word}` (allowed: {})",
                names.join(", ")
            ));
        };
        if at < next {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "`{key}`: `{word}` out of order or repeated (order: {})",
                names.join(", ")
            ));
        }
        next = at + 1;
        bits |= table[at].1;
    }
    Ok(bits)
}

fn lookup(word: &str, table: &[(&str, i32)], key: &str) -> Result<i32, String> {
    ordered_bits(&[word], table, key)
}

fn mmap_flags(words: &[&str]) -> Result<i32, String> {
    let Some((kind, modifiers)) = words.split_first() else {
        return Err(
            "`flags` must start with one of private, shared, shared_validate, droppable".into(),
        );
    };
    Ok(lookup(kind, &MAP_TYPES, "flags")? | ordered_bits(modifiers, &MAP_MODIFIERS, "flags")?)
}

fn file_label(fields: &Fields, key: &str) -> Result<String, String> {
    let label = fields.str(key)?;
    let digits = label.strip_prefix("file").unwrap_or("");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{key}` must be a label fileN, got `{label}`"));
    }
    Ok(label.to_string())
}

fn parse_op(map: &Map<String, Value>, fds: &mut HashSet<String>) -> Result<Op, String> {
    let f = Fields { map };
    let name = f.str("op")?;
    let range_only = |f: &Fields| -> Result<PageRange, String> {
        f.only(&["page", "pages"])?;
        f.range("page", "pages")
    };
    Ok(match name {
        "create_file" => {
            f.only(&["file", "pages"])?;
            let pages = f.u64("pages")?;
            if pages == 0 || pages > WINDOW_PAGES {
                return Err(format!(
                    "`pages` must be in 1..={WINDOW_PAGES}, got {pages}"
                ));
            }
            Op::CreateFile {
                file: file_label(&f, "file")?,
                pages,
            }
        }
        "open" => {
            f.only(&["fd", "file", "mode"])?;
            let flags = match f.str("mode")? {
                "rdwr" => libc::O_RDWR,
                "rdonly" => libc::O_RDONLY,
                other => return Err(format!("`mode` must be rdwr or rdonly, got `{other}`")),
            };
            let fd = f.str("fd")?.to_string();
            fds.insert(fd.clone());
            Op::Open {
                fd,
                file: file_label(&f, "file")?,
                flags,
            }
        }
        "mmap" => {
            f.only(&["page", "pages", "prot", "flags", "fd", "offset_pages"])?;
            let fd = match map.get("fd") {
                None => None,
                Some(_) => {
                    let fd = f.str("fd")?;
                    if !fds.contains(fd) {
                        return Err(format!("`fd` `{fd}` was not opened by an earlier op"));
                    }
                    Some(fd.to_string())
                }
            };
            let offset_pages = f.opt_u64("offset_pages")?.unwrap_or(0);
            // The byte offset must fit off_t; beyond that the op is malformed.
            if offset_pages > (i64::MAX as u64) / 4096 {
                return Err(format!(
                    "`offset_pages` {offset_pages} does not fit a 64-bit file offset"
                ));
            }
            Op::Mmap {
                range: f.range("page", "pages")?,
                prot: ordered_bits(&f.list("prot")?, &PROTS, "prot")?,
                flags: mmap_flags(&f.list("flags")?)?,
                fd,
                offset_pages,
            }
        }
        "munmap" => Op::Munmap(range_only(&f)?),
        "mlock" => Op::Mlock(range_only(&f)?),
        "mlock2_onfault" => Op::Mlock2Onfault(range_only(&f)?),
        "munlock" => Op::Munlock(range_only(&f)?),
        "mseal" => Op::Mseal(range_only(&f)?),
        "touch" => Op::Touch {
            range: range_only(&f)?,
            write: true,
        },
        "touch_read" => Op::Touch {
            range: range_only(&f)?,
            write: false,
        },
        "mprotect" => {
            f.only(&["page", "pages", "prot"])?;
            Op::Mprotect(
                f.range("page", "pages")?,
                ordered_bits(&f.list("prot")?, &PROTS, "prot")?,
            )
        }
        "madvise" => {
            f.only(&["page", "pages", "advice"])?;
            Op::Madvise(
                f.range("page", "pages")?,
                lookup(f.str("advice")?, &ADVICE, "advice")?,
            )
        }
        "mlockall" => {
            f.only(&["flags"])?;
            Op::Mlockall(ordered_bits(&f.list("flags")?, &MCL_FLAGS, "flags")?)
        }
        "munlockall" => {
            f.only(&[])?;
            Op::Munlockall
        }
        "fork" => {
            f.only(&[])?;
            Op::Fork
        }
        "mremap" => {
            f.only(&["page", "pages", "new_pages", "flags", "new_page"])?;
            let range = f.range("page", "pages")?;
            let flags = ordered_bits(&f.list("flags")?, &MREMAP_FLAGS, "flags")?;
            let new_pages = f.u64("new_pages")?;
            let new_page = f.opt_u64("new_page")?;
            let fixed = flags & 2 != 0;
            match new_page {
                Some(page) if fixed => check_range(page, new_pages, "new_page", "new_pages")?,
                Some(_) => return Err("`new_page` is only given with the `fixed` flag".into()),
                None if fixed => return Err("`fixed` needs `new_page`".into()),
                // Growing in place must stay inside the window too.
                None => check_range(range.page, new_pages, "page", "new_pages")?,
            }
            Op::Mremap {
                range,
                new_pages,
                flags,
                new_page,
            }
        }
        other => return Err(format!("unknown op `{other}`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_op(json: &str) -> Result<Op, String> {
        let line = format!(r#"{{"name":"t","ops":[{json}]}}"#);
        parse_scenario(&line).map(|mut s| s.ops.remove(0).op)
    }

    #[test]
    fn parses_an_anonymous_fixed_mmap_into_kernel_values() {
        let op = one_op(
            r#"{"op":"mmap","page":3,"pages":2,"prot":["read","write"],"flags":["private","anonymous","fixed_noreplace"]}"#,
        );
        assert_eq!(
            op,
            Ok(Op::Mmap {
                range: PageRange { page: 3, pages: 2 },
                prot: libc::PROT_READ | libc::PROT_WRITE,
                flags: libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED_NOREPLACE,
                fd: None,
                offset_pages: 0,
            })
        );
    }

    #[test]
    fn flag_tables_match_the_libc_constants() {
        for (word, value) in [
            ("anonymous", libc::MAP_ANONYMOUS),
            ("fixed", libc::MAP_FIXED),
            ("noreserve", libc::MAP_NORESERVE),
            ("growsdown", libc::MAP_GROWSDOWN),
            ("locked", libc::MAP_LOCKED),
            ("populate", libc::MAP_POPULATE),
            ("stack", libc::MAP_STACK),
        ] {
            assert_eq!(
                ordered_bits(&[word], &MAP_MODIFIERS, "flags"),
                Ok(value),
                "{word}"
            );
        }
        assert_eq!(
            lookup("droppable", &MAP_TYPES, "flags"),
            Ok(libc::MAP_DROPPABLE)
        );
        assert_eq!(
            lookup("shared_validate", &MAP_TYPES, "flags"),
            Ok(libc::MAP_SHARED_VALIDATE)
        );
        assert_eq!(
            lookup("wipeonfork", &ADVICE, "advice"),
            Ok(libc::MADV_WIPEONFORK)
        );
        assert_eq!(
            lookup("populate_write", &ADVICE, "advice"),
            Ok(libc::MADV_POPULATE_WRITE)
        );
        assert_eq!(
            ordered_bits(&["current", "future", "onfault"], &MCL_FLAGS, "flags"),
            Ok(7)
        );
    }

    #[test]
    fn rejects_words_out_of_order_repeated_or_unknown() {
        assert!(one_op(r#"{"op":"mprotect","page":0,"pages":1,"prot":["write","read"]}"#).is_err());
        assert!(one_op(r#"{"op":"mprotect","page":0,"pages":1,"prot":["read","read"]}"#).is_err());
        assert!(one_op(
            r#"{"op":"mmap","page":0,"pages":1,"prot":[],"flags":["anonymous","private"]}"#
        )
        .is_err());
        assert!(one_op(r#"{"op":"madvise","page":0,"pages":1,"advice":"collapse"}"#).is_err());
        assert!(one_op(r#"{"op":"munmap","page":0,"pages":1,"extra":1}"#).is_err());
    }

    #[test]
    fn rejects_ranges_leaving_the_window() {
        assert!(one_op(r#"{"op":"munmap","page":0,"pages":0}"#).is_err());
        assert!(one_op(r#"{"op":"munmap","page":1048575,"pages":2}"#).is_err());
        assert!(one_op(r#"{"op":"munmap","page":1048575,"pages":1}"#).is_ok());
        assert!(one_op(r#"{"op":"mremap","page":0,"pages":1,"new_pages":2,"flags":["maymove","fixed"],"new_page":1048575}"#).is_err());
    }

    #[test]
    fn mremap_new_page_goes_with_fixed() {
        assert!(one_op(
            r#"{"op":"mremap","page":0,"pages":1,"new_pages":1,"flags":["maymove"],"new_page":4}"#
        )
        .is_err());
        assert!(one_op(
            r#"{"op":"mremap","page":0,"pages":1,"new_pages":1,"flags":["maymove","fixed"]}"#
        )
        .is_err());
        assert!(one_op(
            r#"{"op":"mremap","page":0,"pages":1,"new_pages":1,"flags":["fixed"],"new_page":4}"#
        )
        .is_ok());
    }

    #[test]
    fn mmap_fd_must_be_opened_first() {
        let line = r#"{"name":"t","ops":[{"op":"mmap","page":0,"pages":1,"prot":["read"],"flags":["shared"],"fd":"a","offset_pages":0}]}"#;
        assert!(parse_scenario(line).is_err());
        let line = r#"{"name":"t","ops":[{"op":"open","fd":"a","file":"file0","mode":"rdonly"},{"op":"mmap","page":0,"pages":1,"prot":["read"],"flags":["shared"],"fd":"a","offset_pages":0}]}"#;
        assert!(parse_scenario(line).is_ok());
    }

    #[test]
    fn drops_recorded_results_and_keeps_input_key_order() {
        let line = r#"{"name":"t","ops":[{"pages":1,"result":"ok","op":"touch","page":2,"fault_page":2}],"vmas":[]}"#;
        let s = parse_scenario(line).unwrap();
        let keys: Vec<&str> = s.ops[0].input.keys().map(String::as_str).collect();
        assert_eq!(keys, ["pages", "op", "page"]);
    }
}
