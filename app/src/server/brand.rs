//! The brand an admin sets for what candidates see: the colour of the careers pages, the
//! portal and every email, and the careers page's introduction. (The company's name is
//! `COMPANY_NAME`: the legal name privacy notices and emails carry, set where the server is
//! deployed.) One record, `brand:current`; read by the public pages and by the mail worker.

use super::db::Db;
use crate::error::AppResult;
use surrealdb::types::SurrealValue;

/// The app's own colour (`--brand` in `style/base.css`).
pub const DEFAULT_COLOUR: &str = "#3446d4";

/// The longest careers introduction.
pub const MAX_INTRO: usize = 600;

/// The largest logo.
pub const MAX_LOGO: usize = 200 * 1024;

#[derive(Debug, Clone, Default, SurrealValue)]
pub struct BrandRow {
    pub colour: Option<String>,
    pub intro: Option<String>,
    /// The logo's media type, when there is one.
    pub logo_type: Option<String>,
    /// Counts the logos uploaded: their URL changes with it, so caches never show an old one.
    pub logo_version: Option<i64>,
}

impl BrandRow {
    /// The colour in use: the admin's (if it is a `#rrggbb`, as [`parse_colour`] stores it),
    /// else the app's own. Pages and emails put it in style attributes: nothing else gets there.
    pub fn colour(&self) -> &str {
        self.colour
            .as_deref()
            .filter(|c| rgb(c).is_some())
            .unwrap_or(DEFAULT_COLOUR)
    }

    /// The logo's path (`/brand/logo?v=N`), when there is one.
    pub fn logo_path(&self) -> Option<String> {
        self.logo_type
            .as_ref()
            .map(|_| format!("/brand/logo?v={}", self.logo_version.unwrap_or(0)))
    }
}

/// The brand as set (nothing set: the app's defaults). The logo's bytes are not read.
pub async fn load(db: &Db) -> AppResult<BrandRow> {
    let mut r = db
        .query("SELECT colour, intro, logo_type, logo_version FROM ONLY brand:current")
        .await?;
    let row: Option<BrandRow> = r.take(0)?;
    Ok(row.unwrap_or_default())
}

/// The logo: its bytes and media type.
pub async fn logo(db: &Db) -> AppResult<Option<(Vec<u8>, String)>> {
    #[derive(SurrealValue)]
    struct Logo {
        logo: Option<surrealdb::types::Bytes>,
        logo_type: Option<String>,
    }
    let mut r = db
        .query("SELECT logo, logo_type FROM ONLY brand:current")
        .await?;
    let row: Option<Logo> = r.take(0)?;
    Ok(row.and_then(|l| Some((l.logo?.into_inner().to_vec(), l.logo_type?))))
}

/// Stores a logo (`kind` from [`image_type`]), or takes it away (`None`; nothing changes when
/// there is none).
pub async fn save_logo(db: &Db, logo: Option<(Vec<u8>, &str)>, by: &str) -> AppResult<()> {
    let (bytes, kind) = match logo {
        Some((b, k)) => (Some(surrealdb::types::Bytes::from(b)), Some(k.to_string())),
        None => (None, None),
    };
    db.query(
        "IF $kind = NONE {
            UPDATE brand:current SET logo = NONE, logo_type = NONE, updated_by = $by,
                updated_at = time::now() WHERE logo_type != NONE RETURN NONE
         } ELSE {
            UPSERT brand:current SET logo = $bytes, logo_type = $kind,
                logo_version = (logo_version ?? 0) + 1, updated_by = $by, updated_at = time::now()
                RETURN NONE
         };",
    )
    .bind(("bytes", bytes))
    .bind(("kind", kind))
    .bind(("by", by.to_string()))
    .await?
    .check()?;
    Ok(())
}

/// The media type of an image the pages may show as the logo, recognised by its content: PNG,
/// JPEG or WebP. (Not SVG: it can carry script.)
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Stores the brand (`colour` already checked by [`parse_colour`]).
pub async fn save(db: &Db, colour: &str, intro: &str, by: &str) -> AppResult<()> {
    db.query(
        "UPSERT brand:current SET colour = $colour, intro = $intro, updated_by = $by,
            updated_at = time::now() RETURN NONE",
    )
    .bind(("colour", colour.to_string()))
    .bind(("intro", (!intro.is_empty()).then(|| intro.to_string())))
    .bind(("by", by.to_string()))
    .await?
    .check()?;
    Ok(())
}

fn rgb(hex: &str) -> Option<[u8; 3]> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([c(0)?, c(2)?, c(4)?])
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG relative luminance.
fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG contrast ratio of two colours (1 to 21).
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `c` mixed with white: `0.0` is `c`, `1.0` white.
fn tint(c: [u8; 3], by: f64) -> [u8; 3] {
    c.map(|v| (f64::from(v) + (255.0 - f64::from(v)) * by).round() as u8)
}

/// `c` darkened: `0.0` is `c`, `1.0` black.
fn shade(c: [u8; 3], by: f64) -> [u8; 3] {
    c.map(|v| (f64::from(v) * (1.0 - by)).round() as u8)
}

/// A brand colour as `#rrggbb`, if it keeps the pages readable: white text on it (buttons) and
/// it as text on white and on its own light tint (links, tags) need WCAG AA's 4.5:1.
pub fn parse_colour(input: &str) -> Result<String, String> {
    let s = input.trim().to_ascii_lowercase();
    let s = if s.starts_with('#') {
        s
    } else {
        format!("#{s}")
    };
    let c = rgb(&s).ok_or_else(|| {
        "Enter the colour as six hexadecimal digits, such as #0f766e.".to_string()
    })?;
    let worst = contrast(c, [255; 3]).min(contrast(c, tint(c, 0.9)));
    if worst < 4.5 {
        return Err(format!(
            "This colour is too light to read: white text on it has a contrast of {worst:.1}:1, \
             and pages need 4.5:1. Choose a darker shade."
        ));
    }
    Ok(hex(c))
}

/// The CSS custom properties of the brand colour for light pages: the colour, a darker one for
/// hover and text on tints, a light tint and a line colour (as `style/base.css` names them).
pub fn css_variables(colour: &str) -> String {
    let c = rgb(colour).unwrap_or([0x34, 0x46, 0xd4]);
    format!(
        "--brand:{};--brand-dark:{};--brand-soft:{};--brand-line:{};",
        hex(c),
        hex(shade(c, 0.22)),
        hex(tint(c, 0.9)),
        hex(tint(c, 0.75)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_in_any_case_with_or_without_the_hash() {
        assert_eq!(parse_colour(" #0F766E ").unwrap(), "#0f766e");
        assert_eq!(parse_colour("0f766e").unwrap(), "#0f766e");
        for bad in ["", "#fff", "teal", "#12345g", "#0f766e0"] {
            assert!(
                parse_colour(bad).unwrap_err().contains("six hexadecimal"),
                "{bad}"
            );
        }
    }

    #[test]
    fn colours_too_light_to_read_are_refused_with_their_contrast() {
        let err = parse_colour("#ffcc00").unwrap_err();
        assert!(err.contains("too light"), "{err}");
        assert!(err.contains(":1"), "{err}");
        // The app's own colour and a dark teal pass; black does.
        for ok in [DEFAULT_COLOUR, "#0f766e", "#000000"] {
            assert!(parse_colour(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn logos_are_recognised_by_their_content() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(&[0xff, 0xd8, 0xff, 0xe0, 0]), Some("image/jpeg"));
        assert_eq!(image_type(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        for bad in [
            &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..],
            b"GIF89a",
            b"",
        ] {
            assert_eq!(image_type(bad), None);
        }
    }

    #[test]
    fn the_variables_derive_shades_from_the_colour() {
        let v = css_variables("#0f766e");
        assert!(v.starts_with("--brand:#0f766e;--brand-dark:#"), "{v}");
        assert!(v.contains("--brand-soft:#e7f1f1;"), "{v}");
        // Only colours ever reach the style sheet.
        assert_eq!(css_variables("red;}body{x"), css_variables(DEFAULT_COLOUR));
    }
}
