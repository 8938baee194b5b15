package apptest

import "github.com/zoom-for-mattermost/zoom/server/app"

var _ app.Host = (*Host)(nil)
