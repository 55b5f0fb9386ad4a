package similar

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// ExcerptRunes is the length of the public excerpt of a request.
const ExcerptRunes = 40

var (
	// maskNamed: a name after the words that introduce one (我叫张三, 姓名：李四).
	maskNamed = regexp.MustCompile(`(我叫|我是|本人|姓名[:：]?|名叫|联系人[:：]?|联系|找)\p{Han}{1,3}`)
	// maskTitle: a surname before a form of address (王先生, 陈阿姨).
	maskTitle = regexp.MustCompile(`\p{Han}(先生|女士|小姐|阿姨|叔叔|伯伯|阿伯|大爷|大妈|师傅|老师|医生|经理|姐|哥)`)
	// maskDigits: any digit (phones, ID numbers, plates, house and room numbers).
	maskDigits = regexp.MustCompile(`[0-9０-９]`)
	// maskCode: letters and digits mixed, 5 or more (WeChat ids, e-mail, plates).
	maskCode = regexp.MustCompile(`[A-Za-z0-9_.@\-*]{5,}`)
	// space: runs of white space.
	space = regexp.MustCompile(`\s+`)
)

// Excerpt is the public, masked beginning of a request's text, as residents
// see other residents' items: the names given (the item's resident and
// contact) become **; every digit becomes *, so phone, ID, plate, building
// and room numbers go; a name introduced as one (我叫…, 姓名…, 联系…) or
// before a form of address (…先生, …阿姨) becomes *; codes (WeChat ids,
// e-mail) go; then the first ExcerptRunes characters, with … when cut.
func Excerpt(text string, names ...string) string {
	s := space.ReplaceAllString(strings.TrimSpace(text), " ")
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			s = strings.ReplaceAll(s, n, "**")
		}
	}
	s = maskNamed.ReplaceAllStringFunc(s, func(m string) string {
		sub := maskNamed.FindStringSubmatch(m)
		return sub[1] + "**"
	})
	s = maskTitle.ReplaceAllStringFunc(s, func(m string) string {
		_, size := utf8.DecodeRuneInString(m)
		return "*" + m[size:]
	})
	s = maskCode.ReplaceAllStringFunc(s, func(m string) string { return "***" })
	s = maskDigits.ReplaceAllString(s, "*")
	if utf8.RuneCountInString(s) > ExcerptRunes {
		s = string([]rune(s)[:ExcerptRunes-1]) + "…"
	}
	return s
}

// Excerpt implements the service's masking of public excerpts.
func (e *Engine) Excerpt(text string, names ...string) string { return Excerpt(text, names...) }
