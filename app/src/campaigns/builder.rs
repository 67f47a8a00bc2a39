//! The sequence builder on a campaign's page: its steps (email, wait, condition) each with a
//! form that saves itself, and buttons to move or remove them.

use super::api::*;
use super::types::*;
use crate::components::PostForm;
use crate::components::drag::PointerDrag;
use crate::components::{FormError, action_error, field_error};
use crate::templates::TOKEN_HINT;
use leptos::prelude::*;

#[component]
pub(super) fn Autosave(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    let timer: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage> =
        StoredValue::new_local(None);
    let on_input = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("form").ok().flatten())
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let t = gloo_timers::callback::Timeout::new(800, move || {
                let _ = form.request_submit();
            });
            timer.update_value(|old| {
                if let Some(old) = old.replace(t) {
                    old.cancel();
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! { <div class="autosave" on:input=on_input on:change=on_input>{children()}</div> }
}

#[component]
pub(super) fn SequenceEditor(
    detail: CampaignDetail,
    add: ServerAction<AddStep>,
    change: ServerAction<ChangeStep>,
) -> impl IntoView {
    let steps = detail.steps.clone();
    let cid = detail.id.clone();
    let reach = super::sequence::reach(&steps, detail.reachable);
    let add_err = action_error(add);
    let change_err = action_error(change);
    // Dragging a step onto another puts it in that one's place (the arrows do the same a
    // place at a time, without a mouse or JavaScript).
    let dragging = RwSignal::new(None::<String>);
    let over = RwSignal::new(None::<String>);
    let campaign = StoredValue::new(cid.clone());
    let drop_on = move |step: String, target: String| {
        if step != target {
            change.dispatch(ChangeStep {
                campaign_id: campaign.get_value(),
                step_id: step,
                op: format!("to:{target}"),
            });
        }
    };
    let drag = PointerDrag::new(dragging, over, "data-step", drop_on);
    let n = steps.len();
    view! {
        <section class="card sequence">
            <h2>"Steps"</h2>
            {steps.is_empty().then(|| view! { <p class="muted">"No steps yet. Start with an email."</p> })}
            {(n > 1).then(|| view! { <p class="muted small drag-hint">"Drag a step to reorder it, or use its arrows."</p> })}
            <FormError error=change_err/>
            <ol class="steps timeline" class:is-dragging=move || dragging.get().is_some()>
                {steps.iter().enumerate().map(|(i, s)| {
                    let (_, r, after_condition) = reach[i].clone();
                    let sid = s.id().to_string();
                    let (sid_drag, sid_down, sid_over) = (sid.clone(), sid.clone(), sid.clone());
                    let next = steps.get(i + 1).map(|n| n.id().to_string());
                    view! {
                        <li class=format!("step-card step-{}", s.kind()) data-step=sid.clone()
                            class:dragging=move || dragging.get().as_deref() == Some(sid_drag.as_str())
                            class:drop-target=move || over.get().as_deref() == Some(sid_over.as_str()) && dragging.get().is_some()
                            on:pointerdown=move |ev| drag.down(ev, sid_down.clone())
                            on:pointermove=move |ev| drag.moved(ev)
                            on:pointerup=move |ev| drag.end(ev, true)
                            on:pointercancel=move |ev| drag.end(ev, false)>
                            <div class="step-head">
                                <span class="step-node" aria-hidden="true">{i + 1}</span>
                                <span class="step-grip" aria-hidden="true" title="Drag to reorder">"⠿"</span>
                                <strong>{format!("Step {}: ", i + 1)}{match s.kind() { "email" => "Email", "wait" => "Wait", _ => "Condition" }}</strong>
                                <span class="muted small step-reach">{if after_condition { format!("reaches up to {r} people") } else { format!("reaches {r} people") }}</span>
                                <StepButton action=change campaign=cid.clone() step=sid.clone() op="up" label="Move up" text="↑"/>
                                <StepButton action=change campaign=cid.clone() step=sid.clone() op="down" label="Move down" text="↓"/>
                                <StepButton action=change campaign=cid.clone() step=sid.clone() op="remove" label="Remove step" text="Remove"/>
                            </div>
                            <Branches step=s.clone() steps=steps.clone()/>
                            <StepForm campaign=cid.clone() step=s.clone() steps=steps.clone()/>
                            {next.map(|next| view! { <InsertStep add=add campaign=cid.clone() before=next position=i + 2/> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <div class="add-steps">
                {[("email", "Add an email"), ("wait", "Add a wait"), ("condition", "Add a condition")].into_iter().map(|(k, l)| { let cid = cid.clone(); view! {
                    <PostForm action=add attr:class="inline">
                        <input type="hidden" name="campaign_id" value=cid.clone()/>
                        <input type="hidden" name="kind" value=k/>
                        <button type="submit" class="btn">{l}</button>
                    </PostForm>
                }}).collect_view()}
            </div>
            <FormError error=add_err/>
        </section>
    }
}

/// Where a condition leads, drawn as the two branches of the timeline.
#[component]
fn Branches(step: super::sequence::Step, steps: Vec<super::sequence::Step>) -> impl IntoView {
    use super::sequence::{Branch, Step};
    let Step::Condition {
        event,
        then,
        otherwise,
        ..
    } = step
    else {
        return ().into_any();
    };
    let target = |b: &Branch| match b {
        Branch::Continue => "the next step".to_string(),
        Branch::Stop => "stop".to_string(),
        Branch::Goto(id) => steps
            .iter()
            .position(|s| s.id() == id)
            .map(|i| format!("step {}", i + 1))
            .unwrap_or_else(|| "the next step".into()),
    };
    view! {
        <div class="branches" aria-label="Branches">
            <span class="branch branch-yes">{format!("If they {}", event.label())}" → "<strong>{target(&then)}</strong></span>
            <span class="branch branch-no">"Otherwise → "<strong>{target(&otherwise)}</strong></span>
        </div>
    }
    .into_any()
}

/// "Add a step here": a step of any kind, put in before step `before` (number `position`).
#[component]
fn InsertStep(
    add: ServerAction<AddStep>,
    campaign: String,
    before: String,
    position: usize,
) -> impl IntoView {
    view! {
        <details class="insert-step">
            // The visible words are the start of its name (axe: label-content-name-mismatch).
            <summary>"+ Add a step here"<span class="visually-hidden">{format!(" (before step {position})")}</span></summary>
            <div class="insert-choices">
                {[("email", "Email"), ("wait", "Wait"), ("condition", "Condition")].into_iter().map(|(k, l)| { let (campaign, before) = (campaign.clone(), before.clone()); view! {
                    <PostForm action=add attr:class="inline">
                        <input type="hidden" name="campaign_id" value=campaign/>
                        <input type="hidden" name="kind" value=k/>
                        <input type="hidden" name="before" value=before/>
                        <button type="submit" class="btn small">{l}</button>
                    </PostForm>
                }}).collect_view()}
            </div>
        </details>
    }
}

/// Buttons that put a personal detail (`{{first_name}}`, …) where the cursor is in the step's
/// subject or message, whichever was used last. Shown once the page runs JavaScript (the hint
/// under the message lists the same details for typing).
#[component]
fn TokenPicker(step: String) -> impl IntoView {
    let step = StoredValue::new(step);
    let insert = move |token: &'static str| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let doc = web_sys::window().and_then(|w| w.document());
            let Some(doc) = doc else { return };
            let text = format!("{{{{{token}}}}}");
            // The subject when it has focus or had it last, else the message.
            let step = step.get_value();
            let last = doc
                .get_element_by_id(&format!("subj-{step}"))
                .filter(|e| e.get_attribute("data-last-used").is_some());
            if let Some(input) = last.and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                insert_at_cursor(&input, &text);
            } else if let Some(area) = doc
                .get_element_by_id(&format!("body-{step}"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                insert_at_cursor(&area, &text);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (token, step);
    };
    view! {
        <div class="token-picker" role="group" aria-label="Insert a personal detail">
            <span class="muted small">"Insert:"</span>
            {crate::templates::TOKENS.into_iter().map(|t| view! {
                <button type="button" class="btn small token" on:click=move |_| insert(t)>{token_label(t)}</button>
            }).collect_view()}
        </div>
    }
}

/// "first_name" → "First name".
fn token_label(token: &str) -> String {
    let words = token.replace('_', " ");
    let mut c = words.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The byte offset of the `utf16`-th UTF-16 unit of `s` (how the DOM counts selections).
#[cfg(feature = "hydrate")]
fn char_to_byte(s: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, ch) in s.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += ch.len_utf16();
    }
    s.len()
}

/// A text field of a form: a one-line input or a text area (the DOM gives them the same
/// value and selection methods, but no common type).
#[cfg(feature = "hydrate")]
trait TextField: AsRef<web_sys::HtmlElement> {
    fn text(&self) -> String;
    fn set_text(&self, v: &str);
    fn selection(&self) -> (Option<u32>, Option<u32>);
    fn select(&self, at: u32);
}

#[cfg(feature = "hydrate")]
macro_rules! text_field {
    ($t:ty) => {
        impl TextField for $t {
            fn text(&self) -> String {
                self.value()
            }
            fn set_text(&self, v: &str) {
                self.set_value(v)
            }
            fn selection(&self) -> (Option<u32>, Option<u32>) {
                (
                    self.selection_start().ok().flatten(),
                    self.selection_end().ok().flatten(),
                )
            }
            fn select(&self, at: u32) {
                let _ = self.set_selection_range(at, at);
            }
        }
    };
}
#[cfg(feature = "hydrate")]
text_field!(web_sys::HtmlInputElement);
#[cfg(feature = "hydrate")]
text_field!(web_sys::HtmlTextAreaElement);

/// Puts `text` in place of the field's selection (at its cursor), leaves the cursor after it,
/// and lets the form know, as typing would.
#[cfg(feature = "hydrate")]
fn insert_at_cursor(field: &impl TextField, text: &str) {
    let v = field.text();
    let (start, end) = field.selection();
    let at = start.unwrap_or(v.encode_utf16().count() as u32) as usize;
    let end = end.map(|e| e as usize).unwrap_or(at);
    let (at, end) = (char_to_byte(&v, at), char_to_byte(&v, end));
    field.set_text(&format!("{}{text}{}", &v[..at], &v[end..]));
    field.select((v[..at].encode_utf16().count() + text.encode_utf16().count()) as u32);
    let el: &web_sys::HtmlElement = field.as_ref();
    let _ = el.focus();
    notify_input(el);
}

/// Tells the form a field changed (so that it saves itself), as typing would.
#[cfg(feature = "hydrate")]
fn notify_input(el: &web_sys::HtmlElement) {
    if let Ok(ev) = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    }) {
        let _ = el.dispatch_event(&ev);
    }
}

#[component]
fn StepButton(
    action: ServerAction<ChangeStep>,
    campaign: String,
    step: String,
    op: &'static str,
    label: &'static str,
    text: &'static str,
) -> impl IntoView {
    view! {
        <PostForm action=action attr:class="inline">
            <input type="hidden" name="campaign_id" value=campaign/>
            <input type="hidden" name="step_id" value=step/>
            <input type="hidden" name="op" value=op/>
            <button type="submit" class="btn small" aria-label=label title=label>{text}</button>
        </PostForm>
    }
}

#[component]
fn StepForm(
    campaign: String,
    step: super::sequence::Step,
    steps: Vec<super::sequence::Step>,
) -> impl IntoView {
    use super::sequence::{Event, Step};
    let sid = step.id().to_string();
    match step {
        Step::Email {
            subject,
            subject_b,
            body,
            ..
        } => {
            let action = ServerAction::<SaveEmailStep>::new();
            let err = action_error(action);
            view! {
                <Autosave>
                    <PostForm action=action attr:class="form step-form">
                        <input type="hidden" name="campaign_id" value=campaign/>
                        <input type="hidden" name="step_id" value=sid.clone()/>
                        <div class="field"><label for=format!("subj-{sid}")>"Subject"</label>
                            <input id=format!("subj-{sid}") name="subject" value=subject
                                on:focus=|ev| mark_last_used(&ev, true)/>
                            <p class="field-error" role="alert">{move || field_error(err, "subject").get()}</p></div>
                        <div class="field"><label for=format!("subjb-{sid}")>"Subject B (optional: A/B test)"</label>
                            <input id=format!("subjb-{sid}") name="subject_b" value=subject_b.unwrap_or_default()/>
                            <p class="field-error" role="alert">{move || field_error(err, "subject_b").get()}</p></div>
                        <div class="field"><label for=format!("body-{sid}")>"Message"</label>
                            <textarea id=format!("body-{sid}") name="body" rows="6"
                                on:focus=|ev| mark_last_used(&ev, false)>{body}</textarea>
                            <TokenPicker step=sid.clone()/>
                            <p class="hint">{TOKEN_HINT}</p>
                            <p class="field-error" role="alert">{move || field_error(err, "body").get()}</p></div>
                        <button type="submit" class="btn small">"Save step"</button>
                        <span class="saved" role="status">{move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.")}</span>
                    </PostForm>
                </Autosave>
            }
            .into_any()
        }
        Step::Wait { days, until, .. } => {
            let action = ServerAction::<SaveWaitStep>::new();
            let err = action_error(action);
            view! {
                <Autosave>
                    <PostForm action=action attr:class="inline-form step-form">
                        <input type="hidden" name="campaign_id" value=campaign/>
                        <input type="hidden" name="step_id" value=sid.clone()/>
                        <label for=format!("days-{sid}")>"Wait"</label>
                        <input id=format!("days-{sid}") type="number" min="1" max="365" name="days" value=days.to_string()/>
                        <span>"days, or until"</span>
                        <label class="visually-hidden" for=format!("until-{sid}")>"Until date"</label>
                        <input id=format!("until-{sid}") type="date" name="until" value=until.unwrap_or_default()/>
                        <button type="submit" class="btn small">"Save step"</button>
                        <span class="saved" role="status">{move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.")}</span>
                        <p class="field-error" role="alert">{move || crate::components::live(err).map(|e| e.field_message("days").or_else(|| e.field_message("until")).unwrap_or_else(|| e.to_string()))}</p>
                    </PostForm>
                </Autosave>
            }
            .into_any()
        }
        Step::Condition {
            event,
            then,
            otherwise,
            ..
        } => {
            let action = ServerAction::<SaveConditionStep>::new();
            let err = action_error(action);
            let me = steps.iter().position(|s| s.id() == sid).unwrap_or(0);
            let targets: Vec<(String, String)> = steps
                .iter()
                .enumerate()
                .filter(|(i, _)| *i > me + 1)
                .map(|(i, s)| (s.id().to_string(), format!("Go to step {}", i + 1)))
                .collect();
            let branch_select = move |name: &'static str, label: &'static str, current: String| {
                let id = format!("{name}-{sid}");
                let targets = targets.clone();
                view! {
                    <label for=id.clone()>{label}</label>
                    <select id=id name=name>
                        <option value="continue" selected=current == "continue">"Continue"</option>
                        <option value="stop" selected=current == "stop">"Stop"</option>
                        {targets.into_iter().map(|(v, l)| {
                            let sel = v == current;
                            view! { <option value=v selected=sel>{l}</option> }
                        }).collect_view()}
                    </select>
                }
            };
            let ev_id = format!("event-{}", step_id_of(&steps, me));
            view! {
                <Autosave>
                    <PostForm action=action attr:class="inline-form step-form">
                        <input type="hidden" name="campaign_id" value=campaign/>
                        <input type="hidden" name="step_id" value=step_id_of(&steps, me)/>
                        <label for=ev_id.clone()>"If they"</label>
                        <select id=ev_id name="event">
                            {Event::ALL.into_iter().map(|e| view! { <option value=e.as_str() selected=e == event>{e.label()}</option> }).collect_view()}
                        </select>
                        {branch_select("then", "then", then.form_value())}
                        {branch_select("otherwise", "otherwise", otherwise.form_value())}
                        <button type="submit" class="btn small">"Save step"</button>
                        <span class="saved" role="status">{move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.")}</span>
                        <p class="field-error" role="alert">{move || crate::components::live(err).map(|e| e.to_string())}</p>
                    </PostForm>
                </Autosave>
            }
            .into_any()
        }
    }
}

fn step_id_of(steps: &[super::sequence::Step], i: usize) -> String {
    steps.get(i).map(|s| s.id().to_string()).unwrap_or_default()
}

/// Remembers whether the subject (`true`) or the message was used last, for the token picker.
fn mark_last_used(ev: &leptos::ev::FocusEvent, subject: bool) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let subject_el = if subject {
            Some(el.clone())
        } else {
            el.closest("form")
                .ok()
                .flatten()
                .and_then(|f| f.query_selector("input[name=subject]").ok().flatten())
        };
        if let Some(s) = subject_el {
            let _ = if subject {
                s.set_attribute("data-last-used", "")
            } else {
                s.remove_attribute("data-last-used")
            };
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, subject);
}
