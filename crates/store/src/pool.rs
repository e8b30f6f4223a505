//! One writer connection and a few readers. Reads never queue behind a sync's write: in WAL
//! mode a reader sees the last committed state while the writer works.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::error::Result;
use crate::open;

/// Readers kept open; more are opened on demand under load and closed after use.
const KEPT_READERS: usize = 4;

pub(crate) struct Pool {
    pub(crate) path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a connection leaves SQLite consistent (the transaction rolls
    // back when dropped), so a poisoned lock is safe to take over.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Pool {
    pub(crate) fn new(path: PathBuf, writer: Connection) -> Pool {
        Pool {
            path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.writer);
        f(&mut conn)
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let taken = lock(&self.readers).pop();
        let conn = match taken {
            Some(c) => c,
            None => open::connect(&self.path, false)?,
        };
        let out = f(&conn);
        let mut readers = lock(&self.readers);
        if readers.len() < KEPT_READERS {
            readers.push(conn);
        }
        out
    }
}
