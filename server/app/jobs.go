package app

// jobRunner runs slow webhook work (downloads, uploads) off the request path.
type jobRunner struct {
	app *App
}

func newJobRunner(a *App) *jobRunner { return &jobRunner{app: a} }
