//! Checking a stream of many chunks on every thread of the pool, the
//! reports still handed out in file order.
//!
//! Each worker takes the next chunk from the reader (one at a time, under a
//! lock, so chunks are numbered in file order), checks it by itself, and
//! leaves its reports in a numbered slot; the thread that called — the
//! only one that writes, since the output need not be `Send` — takes its
//! turn at checking like the others and, between its chunks, hands out
//! whatever is ready in order.
//!
//! Why not check each chunk in parallel and read the next meanwhile (the
//! shape before this one): that waits for every thread at the end of every
//! chunk, and a chunk read on one core was checked on another, its text
//! crossing between the cores' caches. Here a chunk's text is read, typed
//! and evaluated on the core that copied it, and no thread waits for
//! another but to keep the order. (A stream of one chunk has no pipeline:
//! its records are checked in parallel within the chunk.)
//!
//! Memory stays bounded: no chunk is taken while `WINDOW_PER_THREAD`
//! chunks per thread are out and not yet handed out, nor while the
//! finished batches waiting to be handed out weigh `WEIGHT_OUT` or more
//! (by `Finish::weight`: `check`'s JSON is weighed, plain reports are not;
//! with `--all` a chunk's output is megabytes). Chunks being checked add
//! to that: the bound is on taking, not on bytes held.
//!
//! Helpers never wait for the writer (they wait only for the reader's lock
//! while another thread reads): a helper that finds the window full ends,
//! and the writer starts a new one when it has made room. So a helper run
//! by the writer's own thread — rayon may do that while the output waits
//! on work of its own — can never wait for the writer beneath it. This
//! holds as long as checking a chunk and `Finish::finish` make no rayon
//! calls of their own.

use super::{check_one, Finish};
use crate::input::{self, ReadOptions, TextRecords};
use crate::model::{Options, RecordReport};
use crate::pack::Pack;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// How many chunks may be out (taken and not yet handed out) per thread.
const WINDOW_PER_THREAD: usize = 3;

/// How much the batches waiting to be handed out may weigh (by
/// [`Finish::weight`]) before no further chunk is taken.
const WEIGHT_OUT: usize = 8 << 20;

/// What workers and the writer share.
struct Shared<'r, 'a, R: Read, B> {
    /// The reader, and whether it has ended (or failed: the error).
    reader: Mutex<Source<'r, 'a, R>>,
    /// The chunks out, in file order, and how many helpers are running.
    flow: Mutex<Flow<B>>,
    /// Signalled when a chunk is done or a helper ends.
    changed: Condvar,
    window: usize,
}

struct Source<'r, 'a, R: Read> {
    records: &'r mut TextRecords<'a, R>,
    ended: bool,
    error: Option<io::Error>,
}

struct Flow<B> {
    /// The batches of the chunks taken and not yet handed out, oldest
    /// first, with their weights; `None` while a chunk is being checked.
    out: VecDeque<Option<(B, usize)>>,
    /// What the batches in `out` weigh together.
    weight: usize,
    /// How many chunks were handed out: the number of `out`'s first.
    handed: usize,
    /// Whether no chunk is left to take.
    ended: bool,
    /// Helpers running.
    live: usize,
    /// A helper panicked: nothing it held will come, so none is waited for
    /// (the scope then carries the panic to the caller).
    failed: bool,
}

/// What a thread asking for a chunk is told.
enum Take {
    Chunk(usize, Vec<(usize, input::Raw)>),
    /// The window is full: come back when the writer has made room.
    Full,
    /// Nothing is left to take (end, error or cancelled).
    Ended,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in a worker is not caught here (rayon carries it to the
    // caller); the data behind a poisoned lock is still consistent.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<B> Flow<B> {
    /// A flow with the chunks `out` out, none handed out yet.
    fn new(out: VecDeque<Option<(B, usize)>>) -> Self {
        Flow {
            out,
            weight: 0,
            handed: 0,
            ended: false,
            live: 0,
            failed: false,
        }
    }
}

impl<R: Read + Send, B: Send> Shared<'_, '_, R, B> {
    /// The next chunk and its number, if the window has room.
    fn take(&self, opts: &Options) -> Take {
        let mut source = lock(&self.reader);
        if source.ended {
            return Take::Ended;
        }
        {
            if !self.has_room(&lock(&self.flow)) {
                return Take::Full;
            }
        }
        let read = if opts.cancel.is_set() {
            Ok(None)
        } else {
            source.records.next_chunk()
        };
        let mut flow = lock(&self.flow);
        match read {
            Ok(Some(chunk)) => {
                flow.out.push_back(None);
                Take::Chunk(flow.handed + flow.out.len() - 1, chunk)
            }
            Ok(None) | Err(_) => {
                source.error = read.err();
                source.ended = true;
                flow.ended = true;
                drop(flow);
                self.changed.notify_all();
                Take::Ended
            }
        }
    }

    /// Whether another chunk may be taken.
    fn has_room(&self, flow: &Flow<B>) -> bool {
        flow.out.len() < self.window && flow.weight < WEIGHT_OUT
    }

    /// Leaves the batch of chunk `n`, which weighs `weight`.
    fn done(&self, n: usize, batch: B, weight: usize) {
        let mut flow = lock(&self.flow);
        let i = n - flow.handed;
        if let Some(slot) = flow.out.get_mut(i) {
            *slot = Some((batch, weight));
            flow.weight += weight;
        }
        drop(flow);
        self.changed.notify_all();
    }

    /// Takes and checks chunks until none may be taken.
    fn help<F: Finish<Batch = B>>(
        &self,
        pack: &Pack,
        name: &str,
        ro: &ReadOptions<'_>,
        opts: &Options,
        finish: &F,
    ) {
        let _ending = Ending(self);
        while let Take::Chunk(n, raws) = self.take(opts) {
            self.finished(n, finish, check_here(pack, name, raws, ro, opts));
        }
    }

    /// Makes chunk `n`'s reports a batch and leaves it.
    fn finished<F: Finish<Batch = B>>(&self, n: usize, finish: &F, reports: Vec<RecordReport>) {
        let batch = finish.finish(reports);
        let weight = F::weight(&batch);
        self.done(n, batch, weight);
    }
}

/// Tells the writer a helper has ended, however it ended: a helper that
/// panicked with a chunk in hand must not leave the writer waiting for it.
struct Ending<'s, 'r, 'a, R: Read, B>(&'s Shared<'r, 'a, R, B>);

impl<R: Read, B> Drop for Ending<'_, '_, '_, R, B> {
    fn drop(&mut self) {
        let mut flow = lock(&self.0.flow);
        flow.live -= 1;
        flow.failed |= std::thread::panicking();
        drop(flow);
        self.0.changed.notify_all();
    }
}

/// Checks a chunk on this thread alone (a worker of the pipeline is one
/// of the pool's threads already busy; splitting the chunk further would
/// only move its records between caches).
fn check_here(
    pack: &Pack,
    name: &str,
    raws: Vec<(usize, input::Raw)>,
    ro: &ReadOptions<'_>,
    opts: &Options,
) -> Vec<RecordReport> {
    let mut reports = Vec::with_capacity(raws.len());
    for (i, raw) in raws {
        // A run asked to stop (Ctrl-C in `watch`) checks no further record.
        if opts.cancel.is_set() {
            break;
        }
        #[cfg(test)]
        tests::panic_if_asked(i);
        reports.push(check_one(pack, name, (i, raw), ro, opts));
    }
    reports
}

/// Checks the rest of `records` after `first`, its first chunk, on every
/// thread of the current pool, each chunk's reports made a batch by
/// `finish` on the thread that checked them, and hands the batches to
/// `hand_over` in file order on this thread. A read error ends the stream:
/// what was read before it is still handed over, then the error is returned.
#[expect(
    clippy::too_many_arguments,
    reason = "what is read, how, and what becomes of it are all distinct"
)]
pub(super) fn check_chunks<R: Read + Send, F: Finish>(
    pack: &Pack,
    name: &str,
    records: &mut TextRecords<'_, R>,
    first: Vec<(usize, input::Raw)>,
    ro: &ReadOptions<'_>,
    opts: &Options,
    finish: &F,
    hand_over: &mut dyn FnMut(F::Batch),
) -> io::Result<()> {
    let threads = rayon::current_num_threads().max(1);
    let helpers = threads - 1;
    let shared = Shared {
        reader: Mutex::new(Source {
            records,
            ended: false,
            error: None,
        }),
        // The first chunk, read by the caller, is out and being checked.
        flow: Mutex::new(Flow::new(VecDeque::from([None]))),
        changed: Condvar::new(),
        window: WINDOW_PER_THREAD * threads,
    };
    let shared = &shared;
    rayon::in_place_scope(|s| {
        let spawn = |live: &mut usize| {
            while *live < helpers {
                *live += 1;
                s.spawn(move |_| shared.help(pack, name, ro, opts, finish));
            }
        };
        spawn(&mut lock(&shared.flow).live);
        shared.finished(0, finish, check_here(pack, name, first, ro, opts));
        loop {
            // Hand out what is ready, in order, outside the lock.
            let mut ready: Vec<F::Batch> = Vec::new();
            let (ended, empty) = {
                let mut flow = lock(&shared.flow);
                while let Some(Some(_)) = flow.out.front() {
                    if let Some(Some((batch, weight))) = flow.out.pop_front() {
                        flow.weight -= weight;
                        ready.push(batch);
                    }
                    flow.handed += 1;
                }
                if !flow.ended && !flow.failed && !opts.cancel.is_set() && shared.has_room(&flow) {
                    // There is room: helpers that found the window full
                    // have ended; start them again.
                    let mut live = flow.live;
                    spawn(&mut live);
                    flow.live = live;
                }
                (
                    flow.ended || flow.failed,
                    flow.out.is_empty() || flow.failed,
                )
            };
            let wrote = !ready.is_empty();
            for batch in ready {
                // A run asked to stop hands out no more: what it reports
                // stays the file's first records, with no chunk cut short.
                if opts.cancel.is_set() {
                    break;
                }
                hand_over(batch);
            }
            if (ended && empty) || opts.cancel.is_set() {
                // Helpers still checking see the request and end.
                break;
            }
            if wrote {
                continue;
            }
            match shared.take(opts) {
                Take::Chunk(n, raws) => {
                    shared.finished(n, finish, check_here(pack, name, raws, ro, opts))
                }
                // Wait for the oldest chunk out (a helper is checking it).
                Take::Full | Take::Ended => {
                    let flow = lock(&shared.flow);
                    let _waited = shared
                        .changed
                        .wait_while(flow, |f| matches!(f.out.front(), Some(None)) && !f.failed)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            }
        }
    });
    let error = lock(&shared.reader).error.take();
    error.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Format, CHUNK_RECORDS};
    use crate::model::Status;

    /// The sample stream's lines, repeated to `n` records, with a line that
    /// is not JSON now and then.
    fn stream(n: usize) -> String {
        let root = env!("CARGO_MANIFEST_DIR");
        let sample = std::fs::read_to_string(format!("{root}/seeds/samples/projects-stream.jsonl"))
            .expect("sample stream");
        let lines: Vec<&str> = sample.lines().collect();
        (0..n)
            .map(|i| match i % 97 {
                13 => "{broken\n".to_string(),
                _ => format!("{}\n", lines[i % lines.len()]),
            })
            .collect()
    }

    /// Reports as comparable text.
    fn shown(reports: &[RecordReport]) -> Vec<String> {
        reports.iter().map(|r| format!("{r:?}")).collect()
    }

    /// Checks `text` through `check_chunks` on a pool of `threads`, the
    /// writer calling `between` after each batch.
    fn run<R: Read + Send>(
        source: R,
        threads: usize,
        opts: &Options,
        between: &mut (dyn FnMut(usize) + Send),
    ) -> (Vec<RecordReport>, io::Result<()>) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        run_on(&pool, source, opts, between)
    }

    /// `run` on `pool`; the caller's thread never panics on request.
    fn run_on<R: Read + Send>(
        pool: &rayon::ThreadPool,
        source: R,
        opts: &Options,
        between: &mut (dyn FnMut(usize) + Send),
    ) -> (Vec<RecordReport>, io::Result<()>) {
        let pack = crate::load::embedded().expect("pack");
        let name = "a.jsonl";
        let ro = ReadOptions {
            hint: input::kind_hint(&pack, name),
            date: None,
            lang: opts.lang,
        };
        let mut all = Vec::new();
        let result = pool.install(|| {
            PANICS.with(|p| p.set(false));
            let mut records =
                TextRecords::new(&pack, None, name, source, Format::Jsonl, opts.lang)?;
            let first = records.next_chunk()?.unwrap_or_default();
            check_chunks(
                &pack,
                name,
                &mut records,
                first,
                &ro,
                opts,
                &super::super::AsIs,
                &mut |batch| {
                    all.extend(batch);
                    between(all.len());
                },
            )
        });
        (all, result)
    }

    #[test]
    fn any_number_of_threads_gives_the_sequential_reports_in_order() {
        let text = stream(CHUNK_RECORDS * 9 + 17);
        let opts = Options::default();
        let (one, r) = run(text.as_bytes(), 1, &opts, &mut |_| {});
        assert!(r.is_ok());
        assert_eq!(one.len(), CHUNK_RECORDS * 9 + 17);
        assert!(one.iter().enumerate().all(|(i, r)| r.index == i));
        assert!(one.iter().any(|r| r.status == Status::Invalid));
        for threads in [2, 3, 8] {
            // A slow writer lets the checkers fill the window.
            let (many, r) = run(text.as_bytes(), threads, &opts, &mut |_| {
                std::thread::sleep(std::time::Duration::from_millis(2));
            });
            assert!(r.is_ok());
            assert_eq!(shown(&one), shown(&many), "{threads} threads");
        }
    }

    /// Reads `good` and then fails.
    struct FailsAfter<'t> {
        good: &'t [u8],
    }

    impl Read for FailsAfter<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.good.is_empty() {
                return Err(io::Error::other("the disk went away"));
            }
            let n = buf.len().min(self.good.len()).min(4096);
            let (now, later) = self.good.split_at(n);
            buf[..n].copy_from_slice(now);
            self.good = later;
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_comes_after_every_record_read_before_it() {
        let n = CHUNK_RECORDS * 5 + 3;
        let text = stream(n);
        for threads in [1, 2, 4] {
            let source = FailsAfter {
                good: text.as_bytes(),
            };
            let (reports, r) = run(source, threads, &Options::default(), &mut |_| {});
            let e = r.expect_err("the error is returned");
            assert_eq!(e.to_string(), "the disk went away");
            // Every whole chunk read before the error (the reader drops
            // the part of a chunk it was reading).
            assert_eq!(reports.len(), n - n % CHUNK_RECORDS, "{threads} threads");
            assert!(reports.iter().enumerate().all(|(i, r)| r.index == i));
        }
    }

    #[test]
    fn a_cancelled_run_stops_taking_chunks() {
        let text = stream(CHUNK_RECORDS * 40);
        for threads in [1, 2, 4] {
            let opts = Options::default();
            let cancel = opts.cancel.clone();
            let (reports, r) = run(text.as_bytes(), threads, &opts, &mut |_| cancel.set());
            assert!(r.is_ok());
            // Asked to stop as the first chunk was handed out, the run
            // hands out nothing more, however many chunks were done.
            assert_eq!(reports.len(), CHUNK_RECORDS, "{threads} threads");
            assert!(reports.iter().enumerate().all(|(i, r)| r.index == i));
        }
    }

    thread_local! {
        /// Whether checking any record panics on this thread.
        static PANICS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// A stand-in for a bug met while checking record `i`.
    pub(super) fn panic_if_asked(i: usize) {
        if PANICS.with(std::cell::Cell::get) {
            panic!("a bug met while checking record {i}");
        }
    }

    #[test]
    fn a_helper_that_panics_is_not_waited_for_and_its_panic_reaches_the_caller() {
        let text = stream(CHUNK_RECORDS * 12);
        for threads in [2, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool");
            // Every helper panics on the first record of its first chunk,
            // while the caller's thread waits for that chunk.
            pool.broadcast(|_| PANICS.with(|p| p.set(true)));
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_on(&pool, text.as_bytes(), &Options::default(), &mut |_| {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                })
            }));
            let message = caught.expect_err("the panic reaches the caller");
            let message = message.downcast_ref::<String>().expect("a message");
            assert!(message.starts_with("a bug met"), "{message}");
        }
    }

    #[test]
    fn no_chunk_is_taken_while_the_window_is_full() {
        let pack = crate::load::embedded().expect("pack");
        let text = stream(CHUNK_RECORDS * 6);
        let mut records = TextRecords::new(
            &pack,
            None,
            "a.jsonl",
            text.as_bytes(),
            Format::Jsonl,
            crate::i18n::Lang::En,
        )
        .expect("records");
        let shared = Shared {
            reader: Mutex::new(Source {
                records: &mut records,
                ended: false,
                error: None,
            }),
            flow: Mutex::new(Flow::<Vec<RecordReport>>::new(VecDeque::new())),
            changed: Condvar::new(),
            window: 2,
        };
        let opts = Options::default();
        assert!(matches!(shared.take(&opts), Take::Chunk(0, _)));
        assert!(matches!(shared.take(&opts), Take::Chunk(1, _)));
        assert!(matches!(shared.take(&opts), Take::Full));
        // The oldest handed out: room for one more, numbered on.
        {
            let mut flow = lock(&shared.flow);
            flow.out.pop_front();
            flow.handed += 1;
        }
        assert!(matches!(shared.take(&opts), Take::Chunk(2, _)));
        assert!(matches!(shared.take(&opts), Take::Full));
        // Chunk 1 done and heavy: with chunk 2's slot handed out there is a
        // place in the window, but its weight keeps the next chunk back
        // until it is handed out.
        shared.done(1, Vec::new(), WEIGHT_OUT);
        {
            let mut flow = lock(&shared.flow);
            flow.out.pop_back();
        }
        assert!(matches!(shared.take(&opts), Take::Full));
        {
            let mut flow = lock(&shared.flow);
            if let Some(Some((_, weight))) = flow.out.pop_front() {
                flow.weight -= weight;
            }
            flow.handed += 1;
        }
        assert!(matches!(shared.take(&opts), Take::Chunk(..)));
    }
}
