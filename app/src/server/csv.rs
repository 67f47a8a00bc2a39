//! CSV files people open in a spreadsheet: cells that cannot become formulas, and the download
//! response.

/// First characters that make a spreadsheet read a cell as a formula (OWASP's list).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell a spreadsheet shows as text: names come from public forms, and `=HYPERLINK(…)` typed
/// as a first name must not become a live formula on a recruiter's machine. A leading `'` is
/// what spreadsheets use for "this is text"; the importer takes it off again.
pub fn cell(value: &str) -> String {
    if value.starts_with(FORMULA_START) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// The value of a cell written by [`cell`] (a round trip gives back what was exported).
pub fn uncell(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => value,
    }
}

/// A CSV file to download as `name.csv`, never cached (it holds candidate data). (Gated so that
/// the fuzz targets can build this file without axum.)
#[cfg(feature = "ssr")]
pub fn csv_attachment(name: &str, csv: String) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            (
                http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
            (http::header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        csv,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_exported_as_text_and_read_back_as_written() {
        for (value, written) in [
            (
                "=HYPERLINK(\"https://evil\",\"x\")",
                "'=HYPERLINK(\"https://evil\",\"x\")",
            ),
            ("+1 555", "'+1 555"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("Ada", "Ada"),
            ("O'Hara", "O'Hara"),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(cell(value), written);
            assert_eq!(uncell(&cell(value)), value);
        }
    }
}
