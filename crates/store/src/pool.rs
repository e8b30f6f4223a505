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
        let out = in_one_snapshot(&conn, f);
        let mut readers = lock(&self.readers);
        if readers.len() < KEPT_READERS {
            readers.push(conn);
        }
        out
    }
}

/// Runs `f` in one read transaction: a screen's several queries all see the same committed
/// state. Without it, a sync page committed between two of them could show an order as it was
/// before the page and its offers or milestones as they are after it.
fn in_one_snapshot<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    // Deferred: the snapshot is taken by the first read and never waits for the writer (WAL).
    let tx = conn.unchecked_transaction()?;
    let out = f(&tx)?;
    // Nothing was written: ending the transaction only lets the snapshot go.
    tx.commit()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_sees_one_state_even_when_a_write_commits_during_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let writer = open::connect(&path, true).unwrap();
        writer
            .execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
            .unwrap();
        let pool = Pool::new(path, writer);
        let count = |c: &Connection| -> Result<i64> {
            Ok(c.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))?)
        };
        let (before, after) = pool
            .read(|c| {
                let before = count(c)?;
                pool.write(|w| {
                    w.execute("INSERT INTO t VALUES (2)", [])?;
                    Ok(())
                })?;
                Ok((before, count(c)?))
            })
            .unwrap();
        assert_eq!((before, after), (1, 1), "the second query saw the write");
        // The next read sees it.
        assert_eq!(pool.read(count).unwrap(), 2);
    }
}
