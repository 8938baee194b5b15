package devhost

//go:generate go run ./internal/stubgen -stubs stubs_generated.go -recover recover_generated.go
