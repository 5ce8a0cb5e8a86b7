// Command gorender is the reference for the TypeScript template engine's tests: it renders
// templates with Go's own text/template (missingkey=zero) and functions equivalent to
// ContainerPilot v3's, reading a JSON array of cases on stdin and writing a JSON array of results.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
)

type request struct {
	Name     string                     `json:"name"`
	Template string                     `json:"template"`
	Data     json.RawMessage            `json:"data"`
	Env      map[string]string          `json:"env"`
	Catalog  map[string][]healthService `json:"catalog"`
}

// healthService and catalogService mirror the fields consul-template's service and services
// functions expose, so catalog templates can be rendered from a fixed catalog.
type healthService struct {
	Node        string
	Address     string
	ID          string
	Name        string
	Port        int
	Tags        []string
	ServiceMeta map[string]string
}

type catalogService struct {
	Name string
	Tags []string
}

func catalogFuncs(catalog map[string][]healthService) template.FuncMap {
	return template.FuncMap{
		"service": func(name string, _ ...string) []healthService {
			return append([]healthService{}, catalog[name]...)
		},
		"services": func() []catalogService {
			names := make([]string, 0, len(catalog))
			for name := range catalog {
				names = append(names, name)
			}
			sort.Strings(names)
			out := []catalogService{}
			for _, name := range names {
				tags := []string{}
				for _, s := range catalog[name] {
					tags = append(tags, s.Tags...)
				}
				out = append(out, catalogService{Name: name, Tags: tags})
			}
			return out
		},
	}
}

type result struct {
	Output string  `json:"output"`
	Error  *string `json:"error"`
}

// convert turns decoded JSON into the Go values the TypeScript engine models: string maps and
// string lists keep their element type, integral numbers are ints, {"$struct": [[k, v]...]} is a struct.
func convert(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		if pairs, ok := x["$struct"].([]interface{}); ok && len(x) == 1 {
			return makeStruct(pairs)
		}
		allStrings := true
		for _, e := range x {
			if _, ok := e.(string); !ok {
				allStrings = false
			}
		}
		if allStrings {
			m := map[string]string{}
			for k, e := range x {
				m[k] = e.(string)
			}
			return m
		}
		m := map[string]interface{}{}
		for k, e := range x {
			m[k] = convert(e)
		}
		return m
	case []interface{}:
		allStrings := len(x) > 0
		for _, e := range x {
			if _, ok := e.(string); !ok {
				allStrings = false
			}
		}
		if allStrings {
			s := make([]string, len(x))
			for i, e := range x {
				s[i] = e.(string)
			}
			return s
		}
		s := make([]interface{}, len(x))
		for i, e := range x {
			s[i] = convert(e)
		}
		return s
	case json.Number:
		f, _ := x.Float64()
		if f == float64(int64(f)) && f < 1<<53 && f > -(1<<53) {
			return int(f)
		}
		return f
	}
	return v
}

func makeStruct(pairs []interface{}) interface{} {
	fields := []reflect.StructField{}
	values := []reflect.Value{}
	for _, p := range pairs {
		kv := p.([]interface{})
		val := convert(kv[1])
		t := reflect.TypeOf(val)
		if t == nil {
			t = reflect.TypeOf((*interface{})(nil)).Elem()
		}
		fields = append(fields, reflect.StructField{Name: kv[0].(string), Type: t})
		if val == nil {
			values = append(values, reflect.Zero(t))
		} else {
			values = append(values, reflect.ValueOf(val))
		}
	}
	s := reflect.New(reflect.StructOf(fields)).Elem()
	for i, v := range values {
		s.Field(i).Set(v)
	}
	return s.Interface()
}

func toInt(v interface{}) (int, error) {
	if s, ok := v.(string); ok {
		return strconv.Atoi(s)
	}
	return v.(int), nil
}

func funcs(env map[string]string) template.FuncMap {
	return template.FuncMap{
		"default": func(def, val interface{}) string {
			if s, ok := val.(string); ok && s != "" {
				return s
			}
			if s, ok := def.(string); ok {
				return s
			}
			return fmt.Sprintf("%v", def)
		},
		"env": func(name string) string { return env[name] },
		"split": func(sep, s string) ([]string, error) {
			if s = strings.TrimSpace(s); s == "" {
				return []string{}, nil
			}
			return strings.Split(s, sep), nil
		},
		"join": func(sep string, s []string) (string, error) { return strings.Join(s, sep), nil },
		"replaceAll": func(from, to, s string) (string, error) {
			return strings.ReplaceAll(s, from, to), nil
		},
		"regexReplaceAll": func(re, to, s string) (string, error) {
			r, err := regexp.Compile(re)
			if err != nil {
				return "", err
			}
			return r.ReplaceAllString(s, to), nil
		},
		"loop": func(params ...interface{}) ([]int, error) {
			var start, stop int
			var err error
			switch len(params) {
			case 1:
				stop, err = toInt(params[0])
			case 2:
				if start, err = toInt(params[0]); err == nil {
					stop, err = toInt(params[1])
				}
			default:
				return nil, fmt.Errorf("loop: wrong number of arguments, expected 1 or 2, but got %d", len(params))
			}
			if err != nil {
				return nil, err
			}
			out := []int{}
			for i := start; i != stop; {
				out = append(out, i)
				if stop < start {
					i--
				} else {
					i++
				}
			}
			return out, nil
		},
	}
}

func render(req request) (out string, errText *string) {
	defer func() {
		if r := recover(); r != nil {
			s := fmt.Sprint("panic: ", r)
			errText = &s
		}
	}()
	var raw interface{}
	dec := json.NewDecoder(bytes.NewReader(req.Data))
	dec.UseNumber()
	if len(req.Data) > 0 {
		if err := dec.Decode(&raw); err != nil {
			s := err.Error()
			return "", &s
		}
	}
	t := template.New(req.Name).Funcs(funcs(req.Env))
	if req.Catalog != nil {
		t = t.Funcs(catalogFuncs(req.Catalog))
	}
	t, err := t.Option("missingkey=zero").Parse(req.Template)
	if err != nil {
		s := err.Error()
		return "", &s
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, convert(raw)); err != nil {
		s := err.Error()
		return buf.String(), &s
	}
	return buf.String(), nil
}

func main() {
	var reqs []request
	if err := json.NewDecoder(os.Stdin).Decode(&reqs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	results := make([]result, len(reqs))
	for i, req := range reqs {
		results[i].Output, results[i].Error = render(req)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
