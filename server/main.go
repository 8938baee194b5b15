// Command server is the Zoom plugin's server process, started by Mattermost.
package main

import (
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/zoom-for-mattermost/zoom/server/hooks"
)

func main() {
	plugin.ClientMain(hooks.New())
}
