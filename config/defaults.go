package config

import (
	"github.com/google/uuid"
	"reflect"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// Defaults returns the settings used for every key a file leaves out. It is the one place
// defaults are written; the loader registers these same values with viper so that environment
// overrides work for every key.
func Defaults() Config {
	return Config{
		Listen: "127.0.0.1:8080",
		Session: Session{
			IdleTimeout:     30 * time.Minute,
			AbsoluteTimeout: 12 * time.Hour,
		},
		Log: Log{Level: "info", Format: "json"},
		ErpNet: ErpNet{
			Scopes:              []string{"read", "update"},
			MaxConcurrent:       1,
			RequestsPerMinute:   600,
			InstanceConcurrency: 1,
			Timeout:             15 * time.Second,
			MaxRetries:          3,
		},
		Metrics: Metrics{Enabled: true},
		Cache: Cache{
			TTL: CacheTTL{
				Access:    15 * time.Second,
				Documents: 60 * time.Second,
				Lists:     60 * time.Second,
				Reference: 10 * time.Minute,
				Counts:    5 * time.Minute,
			},
			MaxStale:    24 * time.Hour,
			AccessGrace: 2 * time.Minute,
			MaxEntries:  50000,
			Redis:       Redis{Prefix: "clientcenter:", Timeout: 250 * time.Millisecond},
		},
	}
}

// DefaultInstance returns the settings of an instance whose file entry sets nothing. Each list
// item of instances starts from it, because viper has no defaults for list items.
func DefaultInstance() Instance {
	return Instance{
		RelativeURL:     "cc",
		Languages:       []string{"en", "bg"},
		IsOrdersEnabled: true,
		SiteChannel:     "CC",
		TimeZone:        "Europe/Sofia",
		DraftDays:       30,
	}
}

// fillDerived fills the defaults that depend on other settings and tidies values whose
// spelling does not matter, so the rest of the program sees one form.
func fillDerived(c *Config) {
	c.PublicURL = strings.TrimRight(strings.TrimSpace(c.PublicURL), "/")
	c.ErpNet.InstanceURL = strings.TrimRight(strings.TrimSpace(c.ErpNet.InstanceURL), "/")
	c.Log.Level = strings.ToLower(strings.TrimSpace(c.Log.Level))
	c.Log.Format = strings.ToLower(strings.TrimSpace(c.Log.Format))
	for i := range c.Instances {
		in := &c.Instances[i]
		in.Name = strings.TrimSpace(in.Name)
		in.RelativeURL = strings.Trim(strings.TrimSpace(in.RelativeURL), "/")
		in.EnterpriseCompany = strings.TrimSpace(in.EnterpriseCompany)
		if in.Title == "" {
			in.Title = in.Name
		}
		if _, err := uuid.Parse(in.EnterpriseCompany); in.Supplier == "" && err != nil {
			in.Supplier = in.EnterpriseCompany // a name, not an Id: the customers know it
		}
	}
}

// setDefaults registers every leaf key of Defaults with v, so that AutomaticEnv also applies
// to keys a file leaves out (viper only consults the environment for keys it knows).
func setDefaults(v *viper.Viper) {
	d := Defaults()
	walk("", reflect.ValueOf(d), func(key string, val reflect.Value) {
		v.SetDefault(key, val.Interface())
	})
}
