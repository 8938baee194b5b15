package app

import "sync"

// englishApp translates without a host: enough for MessageFor of userID "".
var englishApp = sync.OnceValue(func() *App { return &App{tr: newTranslator(nil)} })

// MessageOf is the English text a user is shown for err.
func MessageOf(err error) string { return englishApp().MessageFor("", err) }
