//! Counting results: passed, failed, and points.

use super::verdict::CaseResult;

/// Earned and possible points, when any case carries points.
pub fn points(results: &[CaseResult]) -> Option<(f64, f64)> {
    let with_points: Vec<_> = results.iter().filter_map(|r| r.points.map(|p| (p, r.verdict.passed()))).collect();
    if with_points.is_empty() {
        return None;
    }
    let possible = with_points.iter().map(|(p, _)| p).sum();
    let earned = with_points.iter().filter(|(_, passed)| *passed).map(|(p, _)| p).sum();
    Some((earned, possible))
}

/// `points: 6/10`, the one spelling of points in every format.
pub fn points_line(earned: f64, possible: f64) -> String {
    format!("points: {}/{}", number(earned), number(possible))
}

/// A size as `--output-limit` takes it: `1MiB`, `512KiB`, `100B`.
pub fn size(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{}GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{}MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{}KiB", b >> 10),
        b => format!("{b}B"),
    }
}

/// `3` rather than `3.0`, `2.5` as is, and never `-0`.
pub fn number(value: f64) -> String {
    let value = if value == 0.0 { 0.0 } else { value };
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value}") }
}

#[cfg(test)]
mod tests {
    use super::{number, points_line, size};

    #[test]
    fn numbers() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(-0.0), "0");
        assert_eq!(points_line(-0.0, 10.0), "points: 0/10");
        assert_eq!((size(1 << 20), size(512 << 10), size(1000)), ("1MiB".into(), "512KiB".into(), "1000B".into()));
    }
}
