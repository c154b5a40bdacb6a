package account

import "stamp/i18n"

// presetNames are the display names of the presets whose providers have a
// name of their own in a language Stamp speaks (QQ邮箱, 网易163邮箱). The
// others are brand names, the same in every language.
var presetNames = map[string]i18n.Message{
	"QQ Mail":                i18n.M("preset.name.qq", "QQ Mail"),
	"NetEase 163 Mail":       i18n.M("preset.name.netease_163", "NetEase 163 Mail"),
	"NetEase 126 Mail":       i18n.M("preset.name.netease_126", "NetEase 126 Mail"),
	"NetEase yeah.net":       i18n.M("preset.name.netease_yeah", "NetEase yeah.net"),
	"Sina Mail":              i18n.M("preset.name.sina", "Sina Mail"),
	"Sohu Mail":              i18n.M("preset.name.sohu", "Sohu Mail"),
	"Aliyun Mail (personal)": i18n.M("preset.name.aliyun", "Aliyun Mail (personal)"),
	"Alibaba Mail (enterprise, 阿里企业邮箱)": i18n.M("preset.name.alibaba", "Alibaba Mail (enterprise, 阿里企业邮箱)"),
}

// DisplayName is the provider's name as a person reads it in the current
// language ("QQ Mail"; "QQ邮箱"). Provider stays the preset's identity.
func (p Preset) DisplayName() string {
	if m, ok := presetNames[p.Provider]; ok {
		return m.String()
	}
	return p.Provider
}
