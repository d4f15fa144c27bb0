//! `vigia score`: one post per line in, one JSON object per line out, as fast as the
//! engine goes.
//!
//! Input is read in blocks of whole lines ([`BLOCK`] bytes or so); each block is scored on
//! one of `threads` worker threads into its own output buffer, and the buffers are written
//! in input order, so the output is the same whatever the number of threads. Nothing is
//! flushed per line. At most a few blocks per thread are in flight, so memory stays flat on
//! an endless stream. The route per post is the pipeline's: [`lang::detect`] (no network
//! hint) unless a language is forced, then the engine.

use super::lang;
pub use super::sentiment::cli::LangChoice;
use super::sentiment::{Sentiment, SentimentEngine, TokenValence};
use crate::domain::{Lang, SentimentScore};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Mutex, PoisonError};

/// What `vigia score` does per post.
#[derive(Debug, Clone, Copy)]
pub struct ScoreOptions {
    pub lang: LangChoice,
    /// Add the words that contributed most (`tokens`).
    pub explain: bool,
    /// Worker threads; 1 scores on the calling thread.
    pub threads: usize,
}

/// How many contributing words `--explain` lists.
const EXPLAIN_TOP: usize = 5;

/// Input bytes per block handed to a worker.
const BLOCK: usize = 64 * 1024;

/// Blocks in flight per worker thread.
const IN_FLIGHT_PER_THREAD: usize = 4;

/// Scores each line of `input` and writes one JSON object per line to `out`, in order.
pub fn score_stream(
    engine: &SentimentEngine,
    mut input: impl BufRead + Send,
    out: impl Write,
    opts: ScoreOptions,
) -> std::io::Result<()> {
    if opts.threads <= 1 {
        let mut out = out;
        let mut buf = Vec::with_capacity(BLOCK * 2);
        while let Some(block) = next_block(&mut input)? {
            buf.clear();
            score_block(engine, &block, opts, &mut buf);
            out.write_all(&buf)?;
        }
        return out.flush();
    }
    parallel(engine, input, out, opts)
}

/// The next block of whole lines (the last line may lack its `\n`), or `None` at the end.
fn next_block(input: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut block = Vec::with_capacity(BLOCK + 256);
    while block.len() < BLOCK {
        let n = input.read_until(b'\n', &mut block)?;
        if n == 0 {
            break;
        }
    }
    Ok((!block.is_empty()).then_some(block))
}

/// Scores the lines of `block` into `out`.
fn score_block(engine: &SentimentEngine, block: &[u8], opts: ScoreOptions, out: &mut Vec<u8>) {
    let block = block.strip_suffix(b"\n").unwrap_or(block);
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let text = String::from_utf8_lossy(line);
        score_line(engine, &text, opts, out);
    }
}

/// One post's JSON line, keys in the order `serde_json` writes them.
fn score_line(engine: &SentimentEngine, text: &str, opts: ScoreOptions, out: &mut Vec<u8>) {
    let lang = match opts.lang {
        LangChoice::Auto => lang::detect(text, None),
        LangChoice::Es => Lang::Es,
        LangChoice::En => Lang::En,
    };
    let (s, why) = if opts.explain {
        let (s, why) = engine.score_explained(text, lang, EXPLAIN_TOP);
        (s, Some(why))
    } else {
        (engine.score(text, lang), None)
    };
    write_json(out, lang, &s, why.as_deref());
}

fn write_json(out: &mut Vec<u8>, lang: Lang, s: &SentimentScore, why: Option<&[TokenValence]>) {
    out.extend_from_slice(b"{\"compound\":");
    float(out, s.compound);
    out.extend_from_slice(b",\"label\":\"");
    out.extend_from_slice(&s.label().as_str().as_bytes()[..3]);
    out.extend_from_slice(b"\",\"lang\":\"");
    out.extend_from_slice(lang.code().as_bytes());
    out.extend_from_slice(b"\",\"neg\":");
    float(out, s.neg);
    out.extend_from_slice(b",\"neu\":");
    float(out, s.neu);
    out.extend_from_slice(b",\"pos\":");
    float(out, s.pos);
    if let Some(why) = why {
        out.extend_from_slice(b",\"tokens\":");
        // Token texts come from the post: serde_json escapes them.
        let _ = serde_json::to_writer(&mut *out, why);
    }
    out.extend_from_slice(b"}\n");
}

/// A number as `serde_json` writes it (shortest round-trip form; `null` if not finite).
fn float(out: &mut Vec<u8>, x: f64) {
    if x.is_finite() {
        out.extend_from_slice(ryu::Buffer::new().format_finite(x).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

type Numbered = (u64, Vec<u8>);

/// A reader thread, `threads` scorers, and the calling thread writing in input order.
fn parallel(
    engine: &SentimentEngine,
    mut input: impl BufRead + Send,
    out: impl Write,
    opts: ScoreOptions,
) -> std::io::Result<()> {
    let slots = opts.threads * IN_FLIGHT_PER_THREAD;
    let (work_tx, work_rx) = sync_channel::<Numbered>(slots);
    let (done_tx, done_rx) = sync_channel::<Numbered>(slots);
    let (slot_tx, slot_rx) = sync_channel::<()>(slots);
    (0..slots).for_each(|_| {
        let _ = slot_tx.send(());
    });
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|scope| {
        for _ in 0..opts.threads {
            let (work_rx, done_tx) = (&work_rx, done_tx.clone());
            scope.spawn(move || worker(engine, work_rx, done_tx, opts));
        }
        drop(done_tx);
        let reader = scope.spawn(move || read_blocks(&mut input, work_tx, slot_rx));
        let written = write_in_order(done_rx, out, slot_tx);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("reader panicked")));
        written.and(read)
    })
}

fn read_blocks(
    input: &mut impl BufRead,
    work: SyncSender<Numbered>,
    slots: Receiver<()>,
) -> std::io::Result<()> {
    let mut seq = 0;
    while let Some(block) = next_block(input)? {
        // A closed channel means the writer stopped (an output error it reports).
        if slots.recv().is_err() || work.send((seq, block)).is_err() {
            break;
        }
        seq += 1;
    }
    Ok(())
}

fn worker(
    engine: &SentimentEngine,
    work: &Mutex<Receiver<Numbered>>,
    done: SyncSender<Numbered>,
    opts: ScoreOptions,
) {
    loop {
        let next = work.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok((seq, block)) = next else { return };
        let mut out = Vec::with_capacity(block.len() * 2);
        score_block(engine, &block, opts, &mut out);
        if done.send((seq, out)).is_err() {
            return;
        }
    }
}

/// Writes blocks in sequence order as they arrive; frees a slot per block written.
fn write_in_order(
    done: Receiver<Numbered>,
    mut out: impl Write,
    slots: SyncSender<()>,
) -> std::io::Result<()> {
    let (mut next, mut early) = (0u64, BTreeMap::new());
    for (seq, bytes) in done {
        early.insert(seq, bytes);
        while let Some(bytes) = early.remove(&next) {
            out.write_all(&bytes)?;
            let _ = slots.send(());
            next += 1;
        }
    }
    out.flush()
}

/// Entry point of `vigia score`: stdin to stdout.
pub fn score(opts: ScoreOptions) -> std::io::Result<()> {
    let engine = SentimentEngine::new();
    let stdin = std::io::BufReader::with_capacity(256 * 1024, std::io::stdin());
    let stdout = std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout().lock());
    score_stream(&engine, stdin, stdout, opts)
}

/// Worker threads for `--threads 0`: the cores the process may use.
pub fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8], lang: LangChoice, explain: bool, threads: usize) -> String {
        let engine = SentimentEngine::new();
        let mut out = Vec::new();
        let opts = ScoreOptions {
            lang,
            explain,
            threads,
        };
        score_stream(&engine, input, &mut out, opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_json_object_per_line() {
        let input = "I love it\nservicio pésimo, nunca llegó\n\n".as_bytes();
        let lines: Vec<serde_json::Value> = run(input, LangChoice::Auto, true, 1)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            (&lines[0]["lang"], &lines[0]["label"]),
            (&"en".into(), &"pos".into())
        );
        assert_eq!(
            (&lines[1]["lang"], &lines[1]["label"]),
            (&"es".into(), &"neg".into())
        );
        // Our English phrase list explains it as a whole (`love it`, en.tsv).
        assert_eq!(lines[0]["tokens"][0]["token"], "love it");
        assert_eq!(lines[2]["label"], "neu");
    }

    /// The hand-written JSON is what `serde_json` writes for the same object.
    #[test]
    fn json_as_serde_writes_it() {
        let engine = SentimentEngine::new();
        for text in [
            "I love it!!",
            "el pedido llegó frío 😡",
            "",
            "ok",
            "\"<b>\" \\ x",
        ] {
            let lang = lang::detect(text, None);
            let (s, why) = engine.score_explained(text, lang, EXPLAIN_TOP);
            let expected = serde_json::json!({
                "lang": lang.code(), "compound": s.compound, "pos": s.pos, "neu": s.neu,
                "neg": s.neg, "label": &s.label().as_str()[..3], "tokens": why,
            });
            let mut out = Vec::new();
            write_json(&mut out, lang, &s, Some(&why));
            assert_eq!(String::from_utf8(out).unwrap(), format!("{expected}\n"));
        }
    }

    /// Many blocks over several threads come out in input order, as on one thread; a last
    /// line without `\n`, `\r\n` endings and invalid UTF-8 are read like the rest.
    #[test]
    fn threads_keep_input_order() {
        let mut input = Vec::new();
        for i in 0..6_000 {
            let line = match i % 4 {
                0 => format!("post {i}: the order never arrived, awful\r\n"),
                1 => format!("pedido {i} llegó tarde pero el repartidor muy amable\n"),
                2 => "\n".to_owned(),
                _ => format!("{i} 😡🙄 love it www.example.com @user\n"),
            };
            input.extend_from_slice(line.as_bytes());
        }
        input.extend_from_slice(b"bad \xff\xfe utf-8, still a post");
        let one = run(&input, LangChoice::Auto, false, 1);
        assert_eq!(one.lines().count(), 6_001);
        assert_eq!(run(&input, LangChoice::Auto, false, 3), one);
        assert_eq!(
            run(&input, LangChoice::Es, true, 2),
            run(&input, LangChoice::Es, true, 1)
        );
        assert_eq!(run(b"", LangChoice::Auto, false, 2), "");
    }
}
