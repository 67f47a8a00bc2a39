//! Short messages that appear in a corner and fade after a few seconds.

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub id: u64,
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Copy)]
pub struct Toasts {
    list: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
}

impl Toasts {
    pub fn provide() -> Self {
        let t = Self {
            list: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        };
        provide_context(t);
        t
    }

    pub fn use_context() -> Self {
        expect_context::<Toasts>()
    }

    fn push(&self, text: String, error: bool) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.list.update(|l| l.push(Toast { id, text, error }));
        #[cfg(feature = "hydrate")]
        {
            let list = self.list;
            gloo_timers::callback::Timeout::new(6_000, move || {
                list.try_update(|l| l.retain(|t| t.id != id));
            })
            .forget();
        }
    }

    pub fn info(&self, text: impl Into<String>) {
        self.push(text.into(), false);
    }

    pub fn error(&self, text: impl Into<String>) {
        self.push(text.into(), true);
    }

    pub fn dismiss(&self, id: u64) {
        self.list.update(|l| l.retain(|t| t.id != id));
    }
}

#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = Toasts::use_context();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.list.get() key=|t| t.id let:t>
                <div class="toast" class:toast-error=t.error>
                    <span>{t.text.clone()}</span>
                    <button type="button" class="btn link" aria-label="Dismiss"
                        on:click=move |_| toasts.dismiss(t.id)>"×"</button>
                </div>
            </For>
        </div>
    }
}
