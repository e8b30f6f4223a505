//! Just enough of a Windows executable (PE32+) to check what `cargo xtask release` built: the
//! machine, the subsystem (a window, not a console), the DLLs it loads and its version
//! resource. Read by hand (the layout is fixed and documented by Microsoft, "PE Format") so that
//! xtask keeps its three dependencies.

use std::collections::BTreeMap;

use anyhow::{bail, ensure, Context, Result};

/// `IMAGE_FILE_MACHINE_AMD64`.
pub const MACHINE_X86_64: u16 = 0x8664;
/// `IMAGE_SUBSYSTEM_WINDOWS_GUI`: no console window opens beside the app.
pub const SUBSYSTEM_GUI: u16 = 2;
/// The optional header's magic number of a 64-bit image.
const PE32_PLUS: u16 = 0x20b;
/// `VS_FIXEDFILEINFO.dwSignature`.
const FIXED_FILE_INFO_SIGNATURE: u32 = 0xfeef_04bd;

/// What the checks read from an executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeInfo {
    pub machine: u16,
    pub subsystem: u16,
    /// The DLLs of the import table, as written there.
    pub imports: Vec<String>,
    /// `VS_FIXEDFILEINFO`'s file version (major, minor, patch, build).
    pub file_version: Option<[u16; 4]>,
    /// The version resource's strings (`ProductName`, `CompanyName`, `FileVersion`, …).
    pub strings: BTreeMap<String, String>,
}

/// The version-resource strings looked for.
pub const VERSION_KEYS: &[&str] = &[
    "CompanyName",
    "FileDescription",
    "FileVersion",
    "LegalCopyright",
    "ProductName",
    "ProductVersion",
];

fn u16_at(bytes: &[u8], at: usize) -> Result<u16> {
    let b = bytes
        .get(at..at + 2)
        .with_context(|| format!("the file ends before offset {at}"))?;
    Ok(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32> {
    let b = bytes
        .get(at..at + 4)
        .with_context(|| format!("the file ends before offset {at}"))?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A section: where its bytes are in memory (RVA) and in the file.
struct Section {
    virtual_address: u32,
    virtual_size: u32,
    raw_offset: u32,
    raw_size: u32,
}

fn file_offset(sections: &[Section], rva: u32) -> Option<usize> {
    sections.iter().find_map(|s| {
        let size = s.virtual_size.max(s.raw_size);
        (rva >= s.virtual_address && rva < s.virtual_address + size)
            .then(|| (rva - s.virtual_address + s.raw_offset) as usize)
    })
}

fn c_string(bytes: &[u8], at: usize) -> Result<String> {
    let tail = bytes.get(at..).context("a name points past the end")?;
    let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
    Ok(String::from_utf8_lossy(&tail[..end]).into_owned())
}

/// Reads the headers, the import table and the version resource of a PE32+ image.
pub fn read(bytes: &[u8]) -> Result<PeInfo> {
    ensure!(bytes.starts_with(b"MZ"), "not a Windows executable (no MZ)");
    let pe = u32_at(bytes, 0x3c)? as usize;
    ensure!(
        bytes.get(pe..pe + 4) == Some(b"PE\0\0"),
        "not a PE image (no PE signature at {pe:#x})"
    );
    let coff = pe + 4;
    let machine = u16_at(bytes, coff)?;
    let section_count = usize::from(u16_at(bytes, coff + 2)?);
    let optional_size = usize::from(u16_at(bytes, coff + 16)?);
    let optional = coff + 20;
    let magic = u16_at(bytes, optional)?;
    if magic != PE32_PLUS {
        bail!("not a 64-bit image (optional header magic {magic:#x})");
    }
    let subsystem = u16_at(bytes, optional + 68)?;
    let directories = u32_at(bytes, optional + 108)?;
    let mut sections = Vec::with_capacity(section_count);
    for i in 0..section_count {
        let header = optional + optional_size + i * 40;
        sections.push(Section {
            virtual_size: u32_at(bytes, header + 8)?,
            virtual_address: u32_at(bytes, header + 12)?,
            raw_size: u32_at(bytes, header + 16)?,
            raw_offset: u32_at(bytes, header + 20)?,
        });
    }
    let mut imports = Vec::new();
    if directories > 1 {
        let import_rva = u32_at(bytes, optional + 112 + 8)?;
        if import_rva != 0 {
            let mut at =
                file_offset(&sections, import_rva).context("the import table is in no section")?;
            loop {
                let name_rva = u32_at(bytes, at + 12)?;
                if name_rva == 0 {
                    break;
                }
                let name = file_offset(&sections, name_rva)
                    .context("an imported DLL's name is in no section")?;
                imports.push(c_string(bytes, name)?);
                at += 20;
            }
        }
    }
    let file_version = fixed_file_version(bytes)?;
    let strings = VERSION_KEYS
        .iter()
        .filter_map(|key| version_string(bytes, key).map(|v| ((*key).to_string(), v)))
        .collect();
    Ok(PeInfo {
        machine,
        subsystem,
        imports,
        file_version,
        strings,
    })
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The file version of `VS_FIXEDFILEINFO`, found after the `VS_VERSION_INFO` key.
fn fixed_file_version(bytes: &[u8]) -> Result<Option<[u16; 4]>> {
    let Some(key) = find(bytes, &utf16("VS_VERSION_INFO\0"), 0) else {
        return Ok(None);
    };
    let signature = FIXED_FILE_INFO_SIGNATURE.to_le_bytes();
    let Some(fixed) = find(bytes, &signature, key).filter(|&at| at < key + 64) else {
        return Ok(None);
    };
    let ms = u32_at(bytes, fixed + 8)?;
    let ls = u32_at(bytes, fixed + 12)?;
    // The halves of a u32, high first: the casts keep 16 bits on purpose.
    Ok(Some([
        (ms >> 16) as u16,
        ms as u16,
        (ls >> 16) as u16,
        ls as u16,
    ]))
}

/// The value of one `String` of the version resource's `StringFileInfo`: the structure's
/// header (`wLength`, `wValueLength` in characters, `wType`) comes before its key, its value
/// after the key, aligned on 32 bits.
fn version_string(bytes: &[u8], key: &str) -> Option<String> {
    let mut needle = utf16(key);
    needle.extend([0, 0]);
    let mut from = 0;
    while let Some(at) = find(bytes, &needle, from) {
        from = at + 1;
        let Some(header) = at.checked_sub(6) else {
            continue;
        };
        let (Ok(length), Ok(chars), Ok(kind)) = (
            u16_at(bytes, header),
            u16_at(bytes, header + 2),
            u16_at(bytes, header + 4),
        ) else {
            continue;
        };
        // Text (`wType` 1), and a structure long enough for its key and value.
        let value_at = (at + needle.len()).next_multiple_of(4);
        let value_end = value_at + usize::from(chars) * 2;
        if kind != 1 || header + usize::from(length) < value_end {
            continue;
        }
        let units: Vec<u16> = bytes
            .get(value_at..value_end)?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&u| u != 0)
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `IMAGE_SUBSYSTEM_WINDOWS_CUI`.
    const SUBSYSTEM_CONSOLE: u16 = 3;

    fn put16(bytes: &mut [u8], at: usize, value: u16) {
        bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
    }

    fn put32(bytes: &mut [u8], at: usize, value: u32) {
        bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    /// A `String` structure of a version resource, starting at a 4-aligned offset.
    fn version_entry(key: &str, value: &str) -> Vec<u8> {
        let mut entry = vec![0; 6];
        entry.extend(utf16(key));
        entry.extend([0, 0]);
        while !entry.len().is_multiple_of(4) {
            entry.push(0);
        }
        let chars = value.encode_utf16().count() + 1;
        entry.extend(utf16(value));
        entry.extend([0, 0]);
        while !entry.len().is_multiple_of(4) {
            entry.push(0);
        }
        let length = u16::try_from(entry.len()).unwrap();
        put16(&mut entry, 0, length);
        put16(&mut entry, 2, u16::try_from(chars).unwrap());
        put16(&mut entry, 4, 1);
        entry
    }

    /// A minimal PE32+ image: one section holding an import table naming `dll`, and a version
    /// resource.
    fn image(machine: u16, subsystem: u16, dll: &str) -> Vec<u8> {
        let mut bytes = vec![0u8; 0x400];
        bytes[0..2].copy_from_slice(b"MZ");
        put32(&mut bytes, 0x3c, 0x40);
        bytes[0x40..0x44].copy_from_slice(b"PE\0\0");
        let coff = 0x44;
        put16(&mut bytes, coff, machine);
        put16(&mut bytes, coff + 2, 1);
        put16(&mut bytes, coff + 16, 240);
        let optional = coff + 20;
        put16(&mut bytes, optional, PE32_PLUS);
        put16(&mut bytes, optional + 68, subsystem);
        put32(&mut bytes, optional + 108, 16);
        // The import directory at RVA 0x1000, i.e. the section's start (file offset 0x200).
        put32(&mut bytes, optional + 120, 0x1000);
        let section = optional + 240;
        put32(&mut bytes, section + 8, 0x200);
        put32(&mut bytes, section + 12, 0x1000);
        put32(&mut bytes, section + 16, 0x200);
        put32(&mut bytes, section + 20, 0x200);
        // One descriptor (its name at RVA 0x1100), then the all-zero one that ends the table.
        put32(&mut bytes, 0x200 + 12, 0x1100);
        bytes[0x300..0x300 + dll.len()].copy_from_slice(dll.as_bytes());
        // The version resource, after the section.
        let mut resource = vec![0; 6];
        resource.extend(utf16("VS_VERSION_INFO\0"));
        resource.extend([0, 0]);
        resource.extend(FIXED_FILE_INFO_SIGNATURE.to_le_bytes());
        resource.extend(0x0001_0000u32.to_le_bytes());
        resource.extend(0x0000_0002u32.to_le_bytes()); // 0.2
        resource.extend(0x0003_0000u32.to_le_bytes()); // 3.0
        resource.extend(version_entry("ProductName", "Centrale"));
        resource.extend(version_entry("CompanyName", "Intercommunale"));
        bytes.extend(resource);
        bytes
    }

    #[test]
    fn a_windows_gui_executable_is_read() {
        let info = read(&image(MACHINE_X86_64, SUBSYSTEM_GUI, "WebView2Loader.dll")).unwrap();
        assert_eq!(info.machine, MACHINE_X86_64);
        assert_eq!(info.subsystem, SUBSYSTEM_GUI);
        assert_eq!(info.imports, vec!["WebView2Loader.dll".to_string()]);
        assert_eq!(info.file_version, Some([0, 2, 3, 0]));
        assert_eq!(info.strings["ProductName"], "Centrale");
        assert_eq!(info.strings["CompanyName"], "Intercommunale");
        assert!(!info.strings.contains_key("FileVersion"));
    }

    #[test]
    fn a_console_executable_says_so() {
        let info = read(&image(MACHINE_X86_64, SUBSYSTEM_CONSOLE, "KERNEL32.dll")).unwrap();
        assert_eq!(info.subsystem, SUBSYSTEM_CONSOLE);
    }

    #[test]
    fn what_is_not_a_64_bit_pe_is_refused() {
        assert!(read(b"\x7fELF....").is_err());
        let mut image = image(0x14c, SUBSYSTEM_GUI, "x.dll");
        put16(&mut image, 0x44 + 20, 0x10b);
        assert!(read(&image).unwrap_err().to_string().contains("64-bit"));
    }
}
