// The agent view's id and options, apart from the panel so the activation shell (extension/lazy-ghost.ts) can
// register the view without loading the panel's code.
export const agentViewId = "ghost.agent";

/** The panel keeps its page while hidden: a running task's transcript must not reload. */
export const agentViewOptions = { webviewOptions: { retainContextWhenHidden: true } };
