package app

// jobRunner runs slow webhook work (downloads, uploads) off the request path.
type jobRunner struct {
	app *App
}

func newJobRunner(a *App) *jobRunner { return &jobRunner{app: a} }

// ResumeJobs picks up webhook work a previous process accepted but did not finish.
func (a *App) ResumeJobs() {}

// StopJobs stops background work before deactivation.
func (a *App) StopJobs() {}
