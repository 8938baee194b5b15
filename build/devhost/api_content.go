package devhost

import (
	"github.com/mattermost/mattermost/server/public/model"
)

// ---- posts ------------------------------------------------------------------

func (a *hostAPI) CreatePost(post *model.Post) (*model.Post, *model.AppError) {
	return a.store.CreatePost(post, true)
}

func (a *hostAPI) UpdatePost(post *model.Post) (*model.Post, *model.AppError) {
	return a.store.UpdatePost(post, true)
}

func (a *hostAPI) DeletePost(postID string) *model.AppError { return a.store.DeletePost(postID) }

func (a *hostAPI) GetPost(postID string) (*model.Post, *model.AppError) {
	return a.store.Post(postID)
}

func (a *hostAPI) GetPostThread(postID string) (*model.PostList, *model.AppError) {
	posts, appErr := a.store.Thread(postID)
	if appErr != nil {
		return nil, appErr
	}
	return PostList(posts), nil
}

func (a *hostAPI) GetPostsForChannel(channelID string, page, perPage int) (*model.PostList, *model.AppError) {
	posts := a.store.Posts(channelID)
	// Pages count from the newest post, as the server's do.
	newestFirst := make([]*model.Post, len(posts))
	for i, p := range posts {
		newestFirst[len(posts)-1-i] = p
	}
	pageNewestFirst := pageOf(newestFirst, page, perPage)
	oldestFirst := make([]*model.Post, len(pageNewestFirst))
	for i, p := range pageNewestFirst {
		oldestFirst[len(pageNewestFirst)-1-i] = p
	}
	return PostList(oldestFirst), nil
}

func (a *hostAPI) GetPostsSince(channelID string, since int64) (*model.PostList, *model.AppError) {
	return PostList(a.store.PostsChangedSince(channelID, since)), nil
}

func (a *hostAPI) SendEphemeralPost(userID string, post *model.Post) *model.Post {
	return a.store.SendEphemeral(userID, post)
}

func (a *hostAPI) UpdateEphemeralPost(userID string, post *model.Post) *model.Post {
	return a.store.UpdateEphemeral(userID, post)
}

func (a *hostAPI) DeleteEphemeralPost(userID, postID string) {
	a.store.DeleteEphemeral(userID, postID)
}

// ---- files ------------------------------------------------------------------

func (a *hostAPI) UploadFile(data []byte, channelID, filename string) (*model.FileInfo, *model.AppError) {
	return a.store.UploadFile(data, channelID, filename)
}

func (a *hostAPI) GetFileInfo(fileID string) (*model.FileInfo, *model.AppError) {
	return a.store.FileInfo(fileID)
}

func (a *hostAPI) GetFile(fileID string) ([]byte, *model.AppError) { return a.store.File(fileID) }

// ---- KV ---------------------------------------------------------------------

func (a *hostAPI) KVSet(key string, value []byte) *model.AppError {
	_, appErr := a.store.KVSetWithOptions(a.pluginID, key, value, model.PluginKVSetOptions{})
	return appErr
}

func (a *hostAPI) KVSetWithExpiry(key string, value []byte, expireInSeconds int64) *model.AppError {
	_, appErr := a.store.KVSetWithOptions(a.pluginID, key, value, model.PluginKVSetOptions{ExpireInSeconds: expireInSeconds})
	return appErr
}

func (a *hostAPI) KVCompareAndSet(key string, oldValue, newValue []byte) (bool, *model.AppError) {
	return a.store.KVSetWithOptions(a.pluginID, key, newValue, model.PluginKVSetOptions{Atomic: true, OldValue: oldValue})
}

func (a *hostAPI) KVCompareAndDelete(key string, oldValue []byte) (bool, *model.AppError) {
	return a.store.KVSetWithOptions(a.pluginID, key, nil, model.PluginKVSetOptions{Atomic: true, OldValue: oldValue})
}

func (a *hostAPI) KVSetWithOptions(key string, value []byte, opts model.PluginKVSetOptions) (bool, *model.AppError) {
	return a.store.KVSetWithOptions(a.pluginID, key, value, opts)
}

func (a *hostAPI) KVGet(key string) ([]byte, *model.AppError) {
	return a.store.KVGet(a.pluginID, key)
}

func (a *hostAPI) KVDelete(key string) *model.AppError { return a.store.KVDelete(a.pluginID, key) }

func (a *hostAPI) KVDeleteAll() *model.AppError {
	a.store.KVDeleteAll(a.pluginID)
	return nil
}

func (a *hostAPI) KVList(page, perPage int) ([]string, *model.AppError) {
	return a.store.KVList(a.pluginID, page, perPage)
}
