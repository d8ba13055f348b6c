//! Counting results: passed, failed, and points.

use super::verdict::CaseResult;

/// Earned and possible points, when any case carries points.
pub fn points(results: &[CaseResult]) -> Option<(f64, f64)> {
    let with_points: Vec<_> = results.iter().filter_map(|r| r.points.map(|p| (p, r.fraction()))).collect();
    if with_points.is_empty() {
        return None;
    }
    let possible = with_points.iter().map(|(p, _)| p).sum();
    let earned = with_points.iter().map(|(p, fraction)| p * fraction).sum();
    Some((earned, possible))
}

/// `3` rather than `3.0`, `2.5` as is, and never `-0`.
pub fn number(value: f64) -> String {
    let value = if value == 0.0 { 0.0 } else { value };
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value}") }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(-0.0), "0");
    }
}
