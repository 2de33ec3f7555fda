package markdown

import "charm.land/lipgloss/v2"

// testStyle is a style with every color set, each one different.
func testStyle() Style {
	c := func(n int) lipgloss.ANSIColor { return lipgloss.ANSIColor(n) }
	return Style{
		Text: c(1), Heading: c(2), Title: c(3), TitleText: c(4), Link: c(5), LinkText: c(6),
		Code: c(7), CodeBg: c(8), CodeBlock: c(9), Quote: c(10), Rule: c(11),
		Comment: c(12), String: c(13), Key: c(14), Number: c(15), Keyword: c(16), Flag: c(17),
	}
}
