//! Which CPUs the server's threads run on.
//!
//! On SQLite every statement is a hand-off between the async worker that
//! runs the use case and the connection's own thread in sqlx, and back: a
//! checkout is about twenty of them. When the two threads sit on different
//! CPUs each hand-off wakes the other CPU (an inter-processor interrupt;
//! on a virtual machine a VM exit), and that cost more than the SQL itself:
//! on the 2-core benchmark machine SIP2 checkouts ran at about 1,100/s
//! spread over both CPUs and at about 2,500/s with the server on one
//! (BENCHMARKS.md, "Request threads on one CPU").
//!
//! So the binary may call [`pin_requests`] once, before it starts the async
//! runtime: the calling thread — and every thread created after it, which
//! inherits the mask (runtime workers, sqlx connection threads) — runs on
//! one CPU. CPU-heavy work that does not wait on the database (index
//! building, searches, password hashing) goes through
//! [`spawn_background`], whose thread gets all the CPUs the process had
//! back, so it runs beside the requests instead of taking turns with them.
//! Without `pin_requests` (tests, tools, PostgreSQL) nothing changes.

use std::sync::OnceLock;

/// The CPUs the process could use before [`pin_requests`], as a list.
static BACKGROUND: OnceLock<Vec<usize>> = OnceLock::new();

/// The CPUs this thread may run on (`None` where that cannot be read).
pub fn allowed_cpus() -> Option<Vec<usize>> {
    imp::allowed()
}

/// Limits the calling thread (and threads it creates later) to `cpu`, and
/// remembers the CPUs it had for [`spawn_background`]. Call once, before
/// any runtime or connection thread exists. Errors when `cpu` is not one of
/// the allowed CPUs or the system refuses.
pub fn pin_requests(cpu: usize) -> std::io::Result<()> {
    let all = imp::allowed().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "CPU affinity is not available on this system",
        )
    })?;
    if !all.contains(&cpu) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("CPU {cpu} is not one this process may use ({all:?})"),
        ));
    }
    imp::set(&[cpu])?;
    let _ = BACKGROUND.set(all);
    Ok(())
}

/// The CPU [`pin_requests`] should use when none is configured: one of the
/// allowed CPUs picked by process id, so that several servers on one
/// machine (a test suite, a consortium's branches) spread over the CPUs.
/// `None` with fewer than two CPUs (nothing to gain).
pub fn default_request_cpu() -> Option<usize> {
    let all = imp::allowed()?;
    if all.len() < 2 {
        return None;
    }
    all.get(std::process::id() as usize % all.len()).copied()
}

/// Gives the current thread back every CPU the process had before
/// [`pin_requests`] (no-op when it was not called).
pub fn widen_current_thread() {
    if let Some(all) = BACKGROUND.get()
        && let Err(e) = imp::set(all)
    {
        tracing::debug!(error = %e, "could not widen a background thread's CPU set");
    }
}

/// `tokio::task::spawn_blocking` for CPU work that does not wait on the
/// database: the thread may use every CPU (see the module comment).
pub fn spawn_background<F, R>(f: F) -> tokio::task::JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        widen_current_thread();
        f()
    })
}

#[cfg(target_os = "linux")]
mod imp {
    use rustix::thread::{CpuSet, sched_getaffinity, sched_setaffinity};

    pub fn allowed() -> Option<Vec<usize>> {
        let set = sched_getaffinity(None).ok()?;
        Some((0..CpuSet::MAX_CPU).filter(|&c| set.is_set(c)).collect())
    }

    pub fn set(cpus: &[usize]) -> std::io::Result<()> {
        let mut set = CpuSet::new();
        for &c in cpus {
            if c < CpuSet::MAX_CPU {
                set.set(c);
            }
        }
        sched_setaffinity(None, &set).map_err(std::io::Error::from)
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    pub fn allowed() -> Option<Vec<usize>> {
        None
    }

    pub fn set(_cpus: &[usize]) -> std::io::Result<()> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "CPU affinity is only set on Linux",
        ))
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn pinning_a_thread_limits_it_and_widening_restores_the_set() {
        // A thread of its own: the test harness's threads stay as they are.
        std::thread::spawn(|| {
            let all = allowed_cpus().expect("affinity readable on Linux");
            assert!(!all.is_empty());
            let target = *all.last().expect("one CPU at least");
            imp::set(&[target]).expect("pin");
            assert_eq!(allowed_cpus(), Some(vec![target]));
            // A thread created now inherits the pin.
            let child = std::thread::spawn(allowed_cpus).join().expect("child");
            assert_eq!(child, Some(vec![target]));
            imp::set(&all).expect("widen");
            assert_eq!(allowed_cpus(), Some(all));
        })
        .join()
        .expect("thread");
    }

    #[test]
    fn pinning_to_a_cpu_the_process_may_not_use_is_refused() {
        let e = pin_requests(CpuSet::MAX_CPU + 1).expect_err("refused");
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    }

    use rustix::thread::CpuSet;
}
