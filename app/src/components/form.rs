//! [`PostForm`]: a server function's `<form method="post">`, as Leptos's `ActionForm`: without
//! JavaScript the browser posts it; with JavaScript its fields become the server function's
//! arguments in the page and the action runs.
//!
//! The one difference: `ActionForm` reads the fields with `serde_qs`, whose parser (deep
//! nesting, numbered lists, percent-decoding) is a few kilobytes of every bundle that our forms
//! never need. Here they are read by [`from_fields`]: `name[]` (or a repeated name) is a list,
//! `name[key]` a field of the group `name`.
//! Leptos's `ActionForm` is refused by `clippy.toml`, so that serde_qs's parser stays out.

use leptos::prelude::*;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use server_fn::{
    Http, ServerFn,
    codec::PostUrl,
    error::{IntoAppError, ServerFnErrorErr},
};
use std::fmt;

/// A `<form method="post">` for `action`'s server function; attributes (`attr:class`, …) go on
/// the `<form>`.
#[component]
pub fn PostForm<ServFn, OutputProtocol>(
    /// The server action the form runs.
    action: ServerAction<ServFn>,
    children: Children,
) -> impl IntoView
where
    ServFn: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>>
        + Clone
        + Send
        + Sync
        + 'static,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
{
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if ev.default_prevented() {
            return;
        }
        ev.prevent_default();
        match submitted_fields(&ev).and_then(from_fields::<ServFn>) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(err) => {
                action.value().set(Some(Err(
                    ServerFnErrorErr::Serialization(err.to_string()).into_app_error()
                )));
                action.version().update(|n| *n += 1);
            }
        }
    };
    view! {
        <form action=ServFn::url() method="post" on:submit=on_submit>
            {children()}
        </form>
    }
}

/// The form's fields in order, with the button that submitted it when it has a name (as the
/// browser sends them). Files are left out: these forms send none.
#[cfg(feature = "hydrate")]
fn submitted_fields(ev: &leptos::ev::SubmitEvent) -> Result<Vec<(String, String)>, FieldError> {
    use wasm_bindgen::JsCast;
    let form: web_sys::HtmlFormElement = ev
        .target()
        .and_then(|t| t.dyn_into().ok())
        .ok_or_else(|| FieldError("the event has no form".into()))?;
    let data = web_sys::FormData::new_with_form(&form)
        .map_err(|_| FieldError("the form's fields could not be read".into()))?;
    let mut fields = Vec::new();
    let entries = js_sys::try_iter(&data).ok().flatten().into_iter().flatten();
    for entry in entries.flatten() {
        let pair: js_sys::Array = entry.unchecked_into();
        if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            fields.push((name, value));
        }
    }
    let submitter = ev.submitter();
    let named = submitter
        .as_ref()
        .and_then(|s| s.dyn_ref::<web_sys::HtmlButtonElement>())
        .map(|b| (b.name(), b.value()))
        .or_else(|| {
            submitter
                .as_ref()
                .and_then(|s| s.dyn_ref::<web_sys::HtmlInputElement>())
                .map(|i| (i.name(), i.value()))
        });
    if let Some((name, value)) = named.filter(|(name, _)| !name.is_empty()) {
        fields.push((name, value));
    }
    Ok(fields)
}

#[cfg(not(feature = "hydrate"))]
fn submitted_fields(_: &leptos::ev::SubmitEvent) -> Result<Vec<(String, String)>, FieldError> {
    Err(FieldError("forms are read in the browser".into()))
}

/// Why fields are not the arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError(String);

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FieldError {}

impl de::Error for FieldError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        FieldError(msg.to_string())
    }
}

/// A form's fields (name, value), in order, as `T`, a struct. `name[]` and a repeated name are
/// lists; `name[key]` is `key` of the group `name` (a map or a struct); a field read as one
/// value takes its last; an empty value is `None` for an `Option`; numbers and `true`/`false`
/// (or a checkbox's `on`) are parsed; unknown names are left to `T` (serde ignores them unless
/// told otherwise).
pub fn from_fields<T: DeserializeOwned>(fields: Vec<(String, String)>) -> Result<T, FieldError> {
    let mut top = Vec::new();
    for (name, value) in fields {
        insert(&mut top, &name, value)?;
    }
    T::deserialize(Field::Group(top))
}

/// Files `value` under `name` in `group`.
fn insert(group: &mut Vec<(String, Field)>, name: &str, value: String) -> Result<(), FieldError> {
    // `a`: one value (a list when repeated); `a[]`: the list `a`; `a[b]…`: `b…` in the group `a`.
    let (base, list, inner) = match name
        .split_once('[')
        .map(|(a, rest)| (a, rest.split_once(']')))
    {
        Some((a, Some(("", "")))) => (a, true, None),
        Some((a, Some((key, rest)))) if !key.is_empty() => (a, false, Some(format!("{key}{rest}"))),
        _ => (name, false, None),
    };
    let at = match group.iter().position(|(n, _)| n == base) {
        Some(at) => at,
        None => {
            let empty = match inner {
                Some(_) => Field::Group(Vec::new()),
                None => Field::Values {
                    values: Vec::new(),
                    list: false,
                },
            };
            group.push((base.to_string(), empty));
            group.len() - 1
        }
    };
    match (&mut group[at].1, inner) {
        (Field::Group(fields), Some(inner)) => insert(fields, &inner, value),
        (
            Field::Values {
                values,
                list: is_list,
            },
            None,
        ) => {
            *is_list |= list || !values.is_empty();
            values.push(value);
            Ok(())
        }
        _ => Err(FieldError(format!(
            "“{base}” is both one field and a group of fields"
        ))),
    }
}

/// One name's values, or a group of named fields (`name[key]`, and the form itself).
enum Field {
    Values {
        values: Vec<String>,
        /// Named `name[]`, or named more than once.
        list: bool,
    },
    Group(Vec<(String, Field)>),
}

impl Field {
    fn one(self) -> Result<String, FieldError> {
        match self {
            Field::Values { values, .. } => Ok(values.into_iter().next_back().unwrap_or_default()),
            Field::Group(_) => Err(FieldError(
                "a group of fields where one was expected".into(),
            )),
        }
    }

    fn is_list(&self) -> bool {
        matches!(self, Field::Values { list: true, .. })
    }
}

impl IntoDeserializer<'_, FieldError> for Field {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! parse {
    ($($method:ident => $visit:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
            let s = self.one()?;
            match s.parse() {
                Ok(v) => visitor.$visit(v),
                Err(_) => Err(FieldError(format!("“{s}” is not a number"))),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Field {
    type Error = FieldError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        match self {
            Field::Group(fields) => {
                let mut map = de::value::MapDeserializer::new(fields.into_iter());
                let out = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(out)
            }
            list if list.is_list() => list.deserialize_seq(visitor),
            one => visitor.visit_string(one.one()?),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        match self.one()?.as_str() {
            "true" | "on" => visitor.visit_bool(true),
            "false" | "" => visitor.visit_bool(false),
            s => Err(FieldError(format!("“{s}” is not true or false"))),
        }
    }

    parse! {
        deserialize_i8 => visit_i8, deserialize_i16 => visit_i16, deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64, deserialize_u8 => visit_u8, deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32, deserialize_u64 => visit_u64, deserialize_f32 => visit_f32,
        deserialize_f64 => visit_f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        match &self {
            Field::Values {
                values,
                list: false,
            } if values.iter().all(String::is_empty) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        let Field::Values { values, .. } = self else {
            return Err(FieldError(
                "a group of fields where a list was expected".into(),
            ));
        };
        let items = values.into_iter().map(|v| Field::Values {
            values: vec![v],
            list: false,
        });
        let mut seq = de::value::SeqDeserializer::new(items);
        let out = visitor.visit_seq(&mut seq)?;
        seq.end()?;
        Ok(out)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        visitor.visit_enum(IntoDeserializer::<FieldError>::into_deserializer(
            self.one()?,
        ))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_unit()
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_string(self.one()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_string(self.one()?)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit_struct tuple tuple_struct map struct identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    enum Kind {
        Move,
        Reject,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Args {
        job_id: String,
        #[serde(default)]
        ids: Vec<String>,
        #[serde(default)]
        send_email: Option<String>,
        #[serde(default)]
        template: Option<String>,
        #[serde(default)]
        seats: u32,
        #[serde(default)]
        remote: bool,
        #[serde(default)]
        kind: Option<Kind>,
        #[serde(default)]
        ratings: Option<std::collections::BTreeMap<String, String>>,
    }

    fn args(pairs: &[(&str, &str)]) -> Result<Args, FieldError> {
        from_fields(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn flat_fields_lists_and_defaults() {
        let a = args(&[
            ("job_id", "rust-backend"),
            ("ids[]", "a"),
            ("ids[]", "b"),
            ("template", ""),
            ("seats", "4"),
            ("remote", "on"),
            ("kind", "Reject"),
            ("ratings[a0]", "3"),
            ("unknown", "ignored"),
            ("ratings[a1]", "4"),
        ])
        .unwrap();
        assert_eq!(
            a,
            Args {
                job_id: "rust-backend".into(),
                ids: vec!["a".into(), "b".into()],
                send_email: None,
                template: None,
                seats: 4,
                remote: true,
                kind: Some(Kind::Reject),
                ratings: Some(
                    [("a0".into(), "3".into()), ("a1".into(), "4".into())]
                        .into_iter()
                        .collect()
                ),
            }
        );
        // One ticked box is still a list; a repeated plain name is one too.
        let one = args(&[("job_id", "j"), ("ids[]", "a")]).unwrap();
        assert_eq!(one.ids, ["a"]);
        let repeated = args(&[("job_id", "j"), ("ids", "a"), ("ids", "b")]).unwrap();
        assert_eq!(repeated.ids, ["a", "b"]);
        // Lists inside a group: one panel per later interview.
        type Panels = std::collections::BTreeMap<String, Vec<String>>;
        let form: std::collections::BTreeMap<String, Panels> = from_fields(vec![
            ("panel[0][]".into(), "ivy".into()),
            ("panel[0][]".into(), "parker".into()),
            ("panel[1][]".into(), "riley".into()),
        ])
        .unwrap();
        assert_eq!(form["panel"]["0"], ["ivy", "parker"]);
        assert_eq!(form["panel"]["1"], ["riley"]);
        let on = args(&[
            ("job_id", "j"),
            ("job_id", "k"),
            ("send_email", "on"),
            ("kind", "Move"),
        ])
        .unwrap();
        assert_eq!(on.job_id, "k", "one value: the last");
        assert_eq!(on.send_email.as_deref(), Some("on"));
        assert_eq!(on.kind, Some(Kind::Move));
    }

    #[test]
    fn bad_fields_say_what_is_wrong() {
        assert_eq!(args(&[]).unwrap_err().to_string(), "missing field `job_id`");
        assert!(
            args(&[("job_id", "j"), ("seats", "four")])
                .unwrap_err()
                .to_string()
                .contains("“four” is not a number")
        );
        assert!(args(&[("job_id", "j"), ("kind", "Hire")]).is_err());
        assert!(args(&[("job_id", "j"), ("remote", "maybe")]).is_err());
        assert_eq!(
            args(&[("job_id", "j"), ("ratings", "3"), ("ratings[a0]", "3")])
                .unwrap_err()
                .to_string(),
            "“ratings” is both one field and a group of fields"
        );
    }
}
