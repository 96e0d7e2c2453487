package erpnet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// discoveryPaths are tried in order: the current path, then the one older servers answer.
var discoveryPaths = []string{"/sys/auto-discovery", "/tools/auto-discovery"}

// discoveryDoc is the part of the auto-discovery answer the client needs.
type discoveryDoc struct {
	WebSites []struct {
		Type                 string            `json:"Type"`
		Status               string            `json:"Status"`
		URL                  string            `json:"Url"`
		AdditionalProperties map[string]string `json:"AdditionalProperties"`
	} `json:"WebSites"`
}

// Discover finds the instance's identity server and Domain API by auto-discovery, and the token
// endpoint by the identity server's OpenID Connect discovery. It succeeds
// once; later calls return at once. Every API call runs it first, so an instance that was down
// when the client was made is discovered as soon as it is back.
func (c *Client) Discover(ctx context.Context) error {
	if c.ODataRoot() != "" {
		return nil
	}
	// One discovery at a time; a waiter whose context ends gives up its turn.
	select {
	case c.discoverMu <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("erpnet: auto-discovery: %w", ctx.Err())
	}
	defer func() { <-c.discoverMu }()
	if c.ODataRoot() != "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()

	var doc discoveryDoc
	var err error
	for _, path := range discoveryPaths {
		err = c.fetchDiscovery(ctx, path, &doc)
		if !IsNotFound(err) {
			break
		}
	}
	if err != nil {
		return err
	}
	authority, root, err := c.endpointsFrom(doc)
	if err != nil {
		return err
	}
	tokenURL, err := c.fetchTokenEndpoint(ctx, authority)
	if err != nil {
		return err
	}
	c.endpoints.Lock()
	c.endpoints.authority, c.endpoints.odataRoot, c.endpoints.tokenURL = authority, root, tokenURL
	c.endpoints.Unlock()
	c.log.Debug("erpnet: discovered instance")
	return nil
}

// fetchDiscovery reads one auto-discovery document.
func (c *Client) fetchDiscovery(ctx context.Context, path string, doc *discoveryDoc) error {
	return c.getJSON(ctx, "GET "+path, c.cfg.InstanceURL+path, doc)
}

// fetchTokenEndpoint reads the identity server's token_endpoint from its OpenID Connect
// discovery document, so a server that moves the endpoint is still found.
func (c *Client) fetchTokenEndpoint(ctx context.Context, authority string) (string, error) {
	const path = "/.well-known/openid-configuration"
	var doc struct {
		TokenEndpoint string `json:"token_endpoint"`
	}
	if err := c.getJSON(ctx, "GET "+path, authority+path, &doc); err != nil {
		return "", err
	}
	if doc.TokenEndpoint == "" {
		return "", errors.New("erpnet: the identity server's discovery document names no token_endpoint")
	}
	return c.absolute(doc.TokenEndpoint)
}

// getJSON reads an anonymous discovery document. It is outside the request limiter, which
// guards the Domain API only.
func (c *Client) getJSON(ctx context.Context, op, target string, doc any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("erpnet: %s: %w", op, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return transportError(ctx, op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return transportError(ctx, op, err)
	}
	if resp.StatusCode != http.StatusOK {
		return decodeError(op, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, doc); err != nil {
		return fmt.Errorf("erpnet: %s: not a discovery document: %w", op, err)
	}
	return nil
}

// endpointsFrom picks the identity server (the ID site, a working one preferred) and the Domain
// API root (a working DomainAPI site's ODataServiceRoot, else its Url + "/domain/odata/").
func (c *Client) endpointsFrom(doc discoveryDoc) (authority, root string, err error) {
	for _, s := range doc.WebSites {
		switch {
		case strings.EqualFold(s.Type, "ID") && s.URL != "":
			if authority == "" || strings.EqualFold(s.Status, "Working") {
				authority = s.URL
			}
		case strings.EqualFold(s.Type, "DomainAPI") && strings.EqualFold(s.Status, "Working") && root == "":
			root = s.AdditionalProperties["ODataServiceRoot"]
			if root == "" && s.URL != "" {
				root = strings.TrimRight(s.URL, "/") + "/domain/odata/"
			}
		}
	}
	if authority == "" {
		return "", "", errors.New("erpnet: auto-discovery lists no identity server (ID site)")
	}
	if root == "" {
		return "", "", errors.New("erpnet: auto-discovery lists no working Domain API site")
	}
	if authority, err = c.absolute(authority); err != nil {
		return "", "", err
	}
	if root, err = c.absolute(root); err != nil {
		return "", "", err
	}
	return strings.TrimRight(authority, "/"), strings.TrimRight(root, "/") + "/", nil
}

// absolute resolves a discovered URL that may be relative to the instance.
func (c *Client) absolute(raw string) (string, error) {
	base, err := url.Parse(c.cfg.InstanceURL + "/")
	if err != nil {
		return "", fmt.Errorf("erpnet: instance URL: %w", err)
	}
	u, err := base.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("erpnet: auto-discovery gave an unusable URL %q", raw)
	}
	return u.String(), nil
}
