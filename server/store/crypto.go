package store

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// sealedPrefix marks a secret written by this plugin: "v1:" + base64url(nonce ‖ AES-256-GCM
// ciphertext). The version lets the format evolve without guessing.
const sealedPrefix = "v1:"

// ErrUndecryptable means a stored secret cannot be opened with the current key: the key
// was regenerated, or the value was tampered with. The user must connect again.
var ErrUndecryptable = errors.New("stored Zoom token cannot be decrypted with the current encryption key")

// Sealer encrypts token secrets at rest.
type Sealer struct {
	gcm       cipher.AEAD
	legacyKey []byte // the raw EncryptionKey, as the original plugin used it with AES-CFB
}

// NewSealer derives the AES-256-GCM key from the configured EncryptionKey. Hashing lets
// any key length work while the 32-character generated keys keep full strength.
func NewSealer(encryptionKey string) (*Sealer, error) {
	if encryptionKey == "" {
		return nil, errors.New("encryption key is empty")
	}
	sum := sha256.Sum256([]byte("zoom-plugin token key v1\x00" + encryptionKey))
	block, err := aes.NewCipher(sum[:])
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{gcm: gcm, legacyKey: []byte(encryptionKey)}, nil
}

// Seal encrypts a secret. The empty secret stays empty so "no refresh token" survives.
func (s *Sealer) Seal(secret string) string {
	if secret == "" {
		return ""
	}
	nonce := make([]byte, s.gcm.NonceSize())
	rand.Read(nonce) // never fails: crypto/rand crashes the program instead
	out := s.gcm.Seal(nonce, nonce, []byte(secret), nil)
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a value written by Seal. Values without the version prefix are handed to
// legacy, which knows what the original plugin wrote in that place.
func (s *Sealer) Open(value string, legacy func(string) (string, error)) (string, error) {
	if value == "" {
		return "", nil
	}
	if !strings.HasPrefix(value, sealedPrefix) {
		return legacy(value)
	}
	raw, err := base64.RawURLEncoding.DecodeString(value[len(sealedPrefix):])
	if err != nil || len(raw) < s.gcm.NonceSize()+s.gcm.Overhead() {
		return "", ErrUndecryptable
	}
	nonce, sealed := raw[:s.gcm.NonceSize()], raw[s.gcm.NonceSize():]
	plain, err := s.gcm.Open(nil, nonce, sealed, nil)
	if err != nil {
		return "", ErrUndecryptable
	}
	return string(plain), nil
}

// LegacyPlain accepts a secret the original plugin stored in plain text (refresh tokens
// and the admin token).
func LegacyPlain(value string) (string, error) {
	if !looksLikeToken(value) {
		return "", ErrUndecryptable
	}
	return value, nil
}

// LegacyCFB opens the original plugin's access-token format: base64url(IV ‖ AES-CFB(
// PKCS#7-padded token)) keyed with the raw EncryptionKey bytes. CFB has no integrity, so
// a wrong key yields noise; the padding and token-shape checks turn that into
// ErrUndecryptable instead of a garbage token.
func (s *Sealer) LegacyCFB(value string) (string, error) {
	raw, err := decodeBase64Any(value)
	if err != nil || len(raw) < 2*aes.BlockSize || len(raw)%aes.BlockSize != 0 {
		return "", ErrUndecryptable
	}
	block, err := aes.NewCipher(s.legacyKey)
	if err != nil {
		return "", ErrUndecryptable
	}
	iv, data := raw[:aes.BlockSize], bytes.Clone(raw[aes.BlockSize:])
	cipher.NewCFBDecrypter(block, iv).XORKeyStream(data, data) //nolint:staticcheck // reading the legacy format only
	plain, ok := pkcs7Unpad(data)
	if !ok || !looksLikeToken(string(plain)) {
		return "", ErrUndecryptable
	}
	return string(plain), nil
}

func decodeBase64Any(value string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.RawURLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if raw, err := enc.DecodeString(value); err == nil {
			return raw, nil
		}
	}
	return nil, ErrUndecryptable
}

// pkcs7Unpad strips the padding of data, a non-empty whole number of AES blocks.
func pkcs7Unpad(data []byte) ([]byte, bool) {
	n := int(data[len(data)-1])
	if n == 0 || n > aes.BlockSize || !bytes.HasSuffix(data, bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, false
	}
	return data[:len(data)-n], true
}

// looksLikeToken accepts what OAuth tokens are made of: printable ASCII without spaces.
func looksLikeToken(s string) bool {
	return s != "" && len(s) <= 8192 && !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r > '~' })
}
