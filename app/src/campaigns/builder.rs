//! The sequence builder on a campaign's page: its steps (email, wait, condition) each with a
//! form that saves itself, and buttons to move or remove them.

use super::api::*;
use super::types::*;
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
    view! {
        <section class="card sequence">
            <h2>"Steps"</h2>
            {steps.is_empty().then(|| view! { <p class="muted">"No steps yet. Start with an email."</p> })}
            <ol class="steps">
                {steps.iter().enumerate().map(|(i, s)| {
                    let (_, r, after_condition) = reach[i].clone();
                    view! {
                        <li class=format!("step-card step-{}", s.kind()) data-step=s.id().to_string()>
                            <div class="step-head">
                                <strong>{format!("Step {}: ", i + 1)}{match s.kind() { "email" => "Email", "wait" => "Wait", _ => "Condition" }}</strong>
                                <span class="muted small step-reach">{if after_condition { format!("reaches up to {r} people") } else { format!("reaches {r} people") }}</span>
                                <StepButton action=change campaign=cid.clone() step=s.id().to_string() op="up" label="Move up" text="↑"/>
                                <StepButton action=change campaign=cid.clone() step=s.id().to_string() op="down" label="Move down" text="↓"/>
                                <StepButton action=change campaign=cid.clone() step=s.id().to_string() op="remove" label="Remove step" text="Remove"/>
                            </div>
                            <StepForm campaign=cid.clone() step=s.clone() steps=steps.clone()/>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <div class="add-steps">
                {[("email", "Add an email"), ("wait", "Add a wait"), ("condition", "Add a condition")].into_iter().map(|(k, l)| { let cid = cid.clone(); view! {
                    <ActionForm action=add attr:class="inline">
                        <input type="hidden" name="campaign_id" value=cid.clone()/>
                        <input type="hidden" name="kind" value=k/>
                        <button type="submit" class="btn">{l}</button>
                    </ActionForm>
                }}).collect_view()}
            </div>
            <FormError error=add_err/>
        </section>
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
        <ActionForm action=action attr:class="inline">
            <input type="hidden" name="campaign_id" value=campaign/>
            <input type="hidden" name="step_id" value=step/>
            <input type="hidden" name="op" value=op/>
            <button type="submit" class="btn small" aria-label=label title=label>{text}</button>
        </ActionForm>
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
                    <ActionForm action=action attr:class="form step-form">
                        <input type="hidden" name="campaign_id" value=campaign/>
                        <input type="hidden" name="step_id" value=sid.clone()/>
                        <div class="field"><label for=format!("subj-{sid}")>"Subject"</label>
                            <input id=format!("subj-{sid}") name="subject" value=subject/>
                            <p class="field-error" role="alert">{move || field_error(err, "subject").get()}</p></div>
                        <div class="field"><label for=format!("subjb-{sid}")>"Subject B (optional: A/B test)"</label>
                            <input id=format!("subjb-{sid}") name="subject_b" value=subject_b.unwrap_or_default()/>
                            <p class="field-error" role="alert">{move || field_error(err, "subject_b").get()}</p></div>
                        <div class="field"><label for=format!("body-{sid}")>"Message"</label>
                            <textarea id=format!("body-{sid}") name="body" rows="6">{body}</textarea>
                            <p class="hint">{TOKEN_HINT}</p>
                            <p class="field-error" role="alert">{move || field_error(err, "body").get()}</p></div>
                        <button type="submit" class="btn small">"Save step"</button>
                        <span class="saved" role="status">{move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.")}</span>
                    </ActionForm>
                </Autosave>
            }
            .into_any()
        }
        Step::Wait { days, until, .. } => {
            let action = ServerAction::<SaveWaitStep>::new();
            let err = action_error(action);
            view! {
                <Autosave>
                    <ActionForm action=action attr:class="inline-form step-form">
                        <input type="hidden" name="campaign_id" value=campaign/>
                        <input type="hidden" name="step_id" value=sid.clone()/>
                        <label for=format!("days-{sid}")>"Wait"</label>
                        <input id=format!("days-{sid}") type="number" min="1" max="365" name="days" value=days.to_string()/>
                        <span>"days, or until"</span>
                        <label class="visually-hidden" for=format!("until-{sid}")>"Until date"</label>
                        <input id=format!("until-{sid}") type="date" name="until" value=until.unwrap_or_default()/>
                        <button type="submit" class="btn small">"Save step"</button>
                        <span class="saved" role="status">{move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.")}</span>
                        <p class="field-error" role="alert">{move || err.get().map(|e| e.field_message("days").or_else(|| e.field_message("until")).unwrap_or_else(|| e.to_string()))}</p>
                    </ActionForm>
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
                    <ActionForm action=action attr:class="inline-form step-form">
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
                        <p class="field-error" role="alert">{move || err.get().map(|e| e.to_string())}</p>
                    </ActionForm>
                </Autosave>
            }
            .into_any()
        }
    }
}

fn step_id_of(steps: &[super::sequence::Step], i: usize) -> String {
    steps.get(i).map(|s| s.id().to_string()).unwrap_or_default()
}
