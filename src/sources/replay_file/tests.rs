use super::*;
use crate::sources::replay_line::MAX_LINE_BYTES;
use chrono::{TimeZone, Utc};
use std::io::Write;

fn line(id: &str, at: &str) -> String {
    format!(
        r#"{{"id":"{id}","source":"x","created_at":"{at}","text":"t{id}","author":{{"handle":"a"}}}}"#
    )
}

fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    f.flush().unwrap();
    f
}

fn ids(mentions: &[Mention]) -> Vec<&str> {
    mentions.iter().map(|m| m.external_id.as_str()).collect()
}

#[test]
fn malformed_lines_are_skipped_and_the_rest_sorted() {
    let data = concat!(
        r#"{"id":"2","source":"x","created_at":"2026-03-02T10:00:00Z","text":"b","author":{"handle":"@B"}}"#,
        "\r\n",
        "not json\n",
        "\n",
        "   \t\n",
        r#"{"id":"1","source":"X","created_at":"2026-03-02T09:00:00Z","text":"a","author":{"handle":"a"},"lang":"es","likes":3}"#,
        "\n",
        r#"{"id":"","source":"x","created_at":"2026-03-02T09:00:00Z","text":"a","author":{"handle":"a"}}"#,
        "\n",
    );
    let mut bytes = data.as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\xfe invalid utf8\n");
    let f = file_with(&bytes);
    let file = ReplayFile::open(f.path()).unwrap();
    assert_eq!(file.len(), 2);
    let got = file.read(0..10).unwrap();
    assert_eq!(ids(&got), ["1", "2"]);
    assert_eq!(got[0].source, "x");
    assert_eq!(got[0].likes, 3);
    assert_eq!(got[1].author.handle, "B");
}

#[test]
fn time_order_is_exact_and_equal_times_keep_the_file_order() {
    let lines = [
        line("late", "2026-03-02T10:00:00.000000002Z"),
        line("first-of-ties", "2026-03-02T09:00:00Z"),
        line("early", "2026-03-02T08:59:59.999999999Z"),
        line("second-of-ties", "2026-03-02T09:00:00Z"),
        line("later-by-a-nanosecond", "2026-03-02T10:00:00.000000003Z"),
    ];
    let f = file_with(lines.join("\n").as_bytes());
    let file = ReplayFile::open(f.path()).unwrap();
    let order = [
        "early",
        "first-of-ties",
        "second-of-ties",
        "late",
        "later-by-a-nanosecond",
    ];
    assert_eq!(ids(&file.read(0..5).unwrap()), order);
    // Any range of that order, read alone, is the same slice of it.
    for start in 0..5 {
        for end in start..7 {
            let got = file.read(start..end).unwrap();
            assert_eq!(ids(&got), order[start..end.min(5)], "{start}..{end}");
        }
    }
    assert!(file.read(9..12).unwrap().is_empty());
    // Which are due is known from the index: milliseconds, as the replay clock counts.
    let nine = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .unwrap()
        .timestamp_millis();
    assert_eq!(file.time_ms(1), Some(nine));
    assert_eq!(file.time_ms(0), Some(nine - 1));
    assert_eq!(file.time_ms(5), None);
    assert_eq!(file.due(0, 10, nine), 3);
    assert_eq!(file.due(0, 2, nine), 2);
    assert_eq!(file.due(3, 10, nine), 0);
    assert_eq!(file.due(3, 10, nine + 3_600_000), 2);
    assert_eq!(file.due(9, 10, i64::MAX), 0);
}

#[test]
fn an_overlong_line_is_skipped_and_the_next_one_read() {
    let long = format!(
        r#"{{"id":"big","source":"x","created_at":"2026-03-02T09:00:00Z","text":"{}","author":{{"handle":"a"}}}}"#,
        "a".repeat(MAX_LINE_BYTES + 10)
    );
    let data = [
        line("1", "2026-03-02T08:00:00Z"),
        long,
        line("2", "2026-03-02T10:00:00Z"),
    ];
    let f = file_with(data.join("\n").as_bytes());
    let file = ReplayFile::open(f.path()).unwrap();
    assert_eq!(ids(&file.read(0..3).unwrap()), ["1", "2"]);
}

#[test]
fn appended_lines_keep_the_time_order_of_the_whole_file() {
    let f = file_with(format!("{}\n", line("1", "2026-03-02T08:00:00Z")).as_bytes());
    let mut file = ReplayFile::open(f.path()).unwrap();
    file.refresh().unwrap();
    assert_eq!(file.len(), 1);
    let mut appended = std::fs::OpenOptions::new()
        .append(true)
        .open(f.path())
        .unwrap();
    // Appended in the recorder's way: later lines (one with the time of the last), and the
    // start of one still being written.
    let late = line("4", "2026-03-02T11:00:00Z");
    write!(
        appended,
        "{}\n{}\n{}",
        line("3", "2026-03-02T10:00:00Z"),
        line("2", "2026-03-02T08:00:00Z"),
        &late[..20]
    )
    .unwrap();
    file.refresh().unwrap();
    assert_eq!(ids(&file.read(0..9).unwrap()), ["1", "2", "3"]);
    writeln!(appended, "{}", &late[20..]).unwrap();
    file.refresh().unwrap();
    assert_eq!(ids(&file.read(0..9).unwrap()), ["1", "2", "3", "4"]);
    // An earlier line: the order is the whole file's again, as a fresh index has it.
    writeln!(appended, "{}", line("0", "2026-03-02T07:00:00Z")).unwrap();
    file.refresh().unwrap();
    let fresh = ReplayFile::open(f.path()).unwrap();
    assert_eq!(ids(&file.read(0..9).unwrap()), ["0", "1", "2", "3", "4"]);
    assert_eq!(ids(&fresh.read(0..9).unwrap()), ["0", "1", "2", "3", "4"]);

    // Rewritten, shorter or longer: the whole file is indexed again.
    let rewritten = [
        line("b", "2026-03-02T08:00:00Z"),
        line("a", "2026-03-02T07:00:00Z"),
    ];
    std::fs::write(f.path(), rewritten.join("\n")).unwrap();
    file.refresh().unwrap();
    assert_eq!(ids(&file.read(0..9).unwrap()), ["a", "b"]);
    let longer: Vec<String> = (10..20)
        .map(|i| line(&i.to_string(), &format!("2026-03-03T{i}:00:00Z")))
        .collect();
    std::fs::write(f.path(), longer.join("\n")).unwrap();
    file.refresh().unwrap();
    assert_eq!(file.len(), 10);
    assert_eq!(file.read(0..1).unwrap()[0].external_id, "10");
}

#[test]
fn reads_fail_rather_than_lie_when_the_file_changed_under_the_index() {
    let f = file_with(format!("{}\n", line("1", "2026-03-02T08:00:00Z")).as_bytes());
    let file = ReplayFile::open(f.path()).unwrap();
    // Other bytes before the indexed line: its offset now falls inside a line.
    std::fs::write(
        f.path(),
        format!("xx{}\n", line("3", "2026-03-02T08:00:00Z")),
    )
    .unwrap();
    let err = file.read(0..1).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    assert!(
        err.to_string().contains("changed since it was read"),
        "{err}"
    );
}
