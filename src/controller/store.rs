//! Operator changes that survive restarts, and the audit log of every change.
//!
//! Overrides are written atomically (temp file, fsync, rename, fsync of the
//! directory) before the controller answers; the audit log is JSON lines,
//! appended and fsynced. A corrupt overrides file stops the start: it is
//! never silently reset.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::api::{ConnectionMethod, Timestamp};

/// The overrides file inside the state directory.
pub const OVERRIDES_FILE: &str = "overrides.json";
/// The audit log inside the state directory.
pub const AUDIT_FILE: &str = "audit.jsonl";
const FORMAT_VERSION: u32 = 1;

/// Why the store failed. Both variants name the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file exists but is not what we wrote.
    #[error("{path} is corrupt ({message}); fix or move it away, it is not reset automatically")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// An operator's change of one service, as persisted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Override {
    /// The chosen method.
    pub connection_method: ConnectionMethod,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub updated_at: Timestamp,
    /// Who.
    pub updated_by: String,
    /// The method in force before `disabled`, for `enable`.
    #[serde(default)]
    pub before_disabled: Option<ConnectionMethod>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Who.
    pub operator: String,
    /// Which service.
    pub service: String,
    /// The method before.
    pub old: ConnectionMethod,
    /// The method after.
    pub new: ConnectionMethod,
    /// Why.
    pub reason: Option<String>,
}

/// Where overrides and the audit log live. Behind a trait so that several
/// controller replicas can later share them (e.g. through Redis).
pub trait OverrideStore: Send + Sync {
    /// Every persisted override, by service.
    fn load(&self) -> Result<BTreeMap<String, Override>, StoreError>;
    /// Replaces the persisted overrides; durable when it returns.
    fn save(&self, overrides: &BTreeMap<String, Override>) -> Result<(), StoreError>;
    /// Appends one audit line; durable when it returns.
    fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;
}

#[derive(Serialize, Deserialize)]
struct OverridesFile {
    version: u32,
    overrides: BTreeMap<String, Override>,
}

/// The store in a state directory on disk.
pub struct FileStore {
    dir: PathBuf,
    audit: Mutex<Option<File>>,
}

impl FileStore {
    /// Opens (creating) the state directory. A partial last audit line, left
    /// by a crash mid-write, is reported and closed off so that new lines stay whole.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
        let audit_path = dir.join(AUDIT_FILE);
        let io = |source| StoreError::Io { path: audit_path.clone(), source };
        let mut audit =
            OpenOptions::new().create(true).read(true).append(true).open(&audit_path).map_err(io)?;
        let len = audit.metadata().map_err(io)?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            audit.seek(SeekFrom::Start(len - 1)).map_err(io)?;
            audit.read_exact(&mut last).map_err(io)?;
            if last[0] != b'\n' {
                tracing::warn!(path = %audit_path.display(), "audit log ends with a partial line (interrupted write); it is kept and closed off");
                audit.write_all(b"\n").map_err(io)?;
                audit.sync_data().map_err(io)?;
            }
        }
        Ok(Self { dir: dir.to_path_buf(), audit: Mutex::new(Some(audit)) })
    }

    /// The state directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads the audit log: whole entries, and the number of lines that are
    /// not (a torn last line after a crash).
    pub fn read_audit(dir: &Path) -> Result<(Vec<AuditEntry>, usize), StoreError> {
        let path = dir.join(AUDIT_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
            Err(source) => return Err(StoreError::Io { path, source }),
        };
        let mut entries = Vec::new();
        let mut broken = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match serde_json::from_str(line) {
                Ok(e) => entries.push(e),
                Err(_) => broken += 1,
            }
        }
        Ok((entries, broken))
    }
}

impl OverrideStore for FileStore {
    fn load(&self) -> Result<BTreeMap<String, Override>, StoreError> {
        let path = self.dir.join(OVERRIDES_FILE);
        let text = match fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(source) => return Err(StoreError::Io { path, source }),
        };
        let file: OverridesFile = serde_json::from_slice(&text)
            .map_err(|e| StoreError::Corrupt { path: path.clone(), message: e.to_string() })?;
        if file.version != FORMAT_VERSION {
            return Err(StoreError::Corrupt {
                path,
                message: format!("format version {} is not {FORMAT_VERSION}", file.version),
            });
        }
        Ok(file.overrides)
    }

    fn save(&self, overrides: &BTreeMap<String, Override>) -> Result<(), StoreError> {
        let path = self.dir.join(OVERRIDES_FILE);
        let tmp = self.dir.join(format!("{OVERRIDES_FILE}.tmp"));
        let body = serde_json::to_vec_pretty(&OverridesFile {
            version: FORMAT_VERSION,
            overrides: overrides.clone(),
        })
        .map_err(|e| StoreError::Corrupt { path: path.clone(), message: e.to_string() })?;
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |source| StoreError::Io { path: p, source }
        };
        let mut file = File::create(&tmp).map_err(io(&tmp))?;
        file.write_all(&body).map_err(io(&tmp))?;
        file.sync_all().map_err(io(&tmp))?;
        drop(file);
        fs::rename(&tmp, &path).map_err(io(&path))?;
        File::open(&self.dir).and_then(|d| d.sync_all()).map_err(io(&self.dir))?;
        Ok(())
    }

    fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let path = self.dir.join(AUDIT_FILE);
        let mut line = serde_json::to_vec(entry)
            .map_err(|e| StoreError::Corrupt { path: path.clone(), message: e.to_string() })?;
        line.push(b'\n');
        let mut guard = self.audit.lock().unwrap_or_else(|p| p.into_inner());
        let io = |source| StoreError::Io { path: path.clone(), source };
        if guard.is_none() {
            *guard = Some(OpenOptions::new().create(true).append(true).open(&path).map_err(io)?);
        }
        let Some(file) = guard.as_mut() else {
            return Err(io(std::io::Error::other("audit log is not open")));
        };
        // One write call per line: a crash leaves at most one partial last line.
        file.write_all(&line).map_err(io)?;
        file.sync_data().map_err(io)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Override {
        Override {
            connection_method: ConnectionMethod::Rest,
            reason: Some("debugging".into()),
            updated_at: Timestamp::now(),
            updated_by: "alice".into(),
            before_disabled: None,
        }
    }

    #[test]
    fn overrides_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        assert!(store.load().unwrap().is_empty());
        let mut all = BTreeMap::new();
        all.insert("ai_svc".to_string(), sample());
        store.save(&all).unwrap();
        let again = FileStore::open(dir.path()).unwrap();
        assert_eq!(again.load().unwrap(), all);
        assert!(!dir.path().join("overrides.json.tmp").exists());
    }

    #[test]
    fn a_corrupt_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(OVERRIDES_FILE), b"{\"version\": 1, \"overr").unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        let err = store.load().unwrap_err().to_string();
        assert!(err.contains("overrides.json"), "{err}");
        assert!(err.contains("corrupt"), "{err}");
    }

    #[test]
    fn a_torn_audit_line_is_reported_and_closed_off() {
        let dir = tempfile::tempdir().unwrap();
        let entry = AuditEntry {
            at: Timestamp::now(),
            operator: "bob".into(),
            service: "db_svc".into(),
            old: ConnectionMethod::Router,
            new: ConnectionMethod::Rest,
            reason: None,
        };
        {
            let store = FileStore::open(dir.path()).unwrap();
            store.append_audit(&entry).unwrap();
        }
        let mut f = OpenOptions::new().append(true).open(dir.path().join(AUDIT_FILE)).unwrap();
        f.write_all(b"{\"at\":\"2026-").unwrap();
        drop(f);
        let store = FileStore::open(dir.path()).unwrap();
        store.append_audit(&entry).unwrap();
        let (entries, broken) = FileStore::read_audit(dir.path()).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(broken, 1);
    }
}
